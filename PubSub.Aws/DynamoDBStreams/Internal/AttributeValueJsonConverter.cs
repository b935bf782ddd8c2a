using System.Text.Json;
using System.Text.Json.Serialization;
using Amazon.DynamoDBv2.Model;

namespace PubSub.Aws.DynamoDBStreams.Internal;

/// <summary>DynamoDB's typed JSON (<c>{"S":"x"}</c>, <c>{"N":"1"}</c>, <c>{"M":{…}}</c>, …) to and from the
/// official SDK's <see cref="AttributeValue"/>, so that a stream image and a table item share one mapper.</summary>
internal sealed class AttributeValueJsonConverter : JsonConverter<AttributeValue>
{
    public override AttributeValue Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        reader.Read();
        Expect(ref reader, JsonTokenType.PropertyName);
        var type = reader.GetString();
        reader.Read();
        var value = new AttributeValue();
        switch (type)
        {
            case "S": value.S = reader.GetString(); break;
            case "N": value.N = reader.GetString(); break;
            case "B": value.B = new MemoryStream(reader.GetBytesFromBase64()); break;
            case "BOOL": value.BOOL = reader.GetBoolean(); break;
            case "NULL": value.NULL = reader.GetBoolean(); break;
            case "SS": value.SS = ReadArray(ref reader, static (ref Utf8JsonReader r) => r.GetString()!); break;
            case "NS": value.NS = ReadArray(ref reader, static (ref Utf8JsonReader r) => r.GetString()!); break;
            case "BS": value.BS = ReadArray(ref reader, static (ref Utf8JsonReader r) => new MemoryStream(r.GetBytesFromBase64())); break;
            case "L": value.L = ReadArray(ref reader, (ref Utf8JsonReader r) => Read(ref r, typeToConvert, options)); break;
            case "M": value.M = ReadMap(ref reader, options); break;
            default: throw new JsonException($"Unknown DynamoDB attribute type '{type}'.");
        }

        reader.Read();
        Expect(ref reader, JsonTokenType.EndObject);
        return value;
    }

    public Dictionary<string, AttributeValue> ReadMap(ref Utf8JsonReader reader, JsonSerializerOptions options)
    {
        Expect(ref reader, JsonTokenType.StartObject);
        var map = new Dictionary<string, AttributeValue>(StringComparer.Ordinal);
        while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
        {
            var name = reader.GetString()!;
            reader.Read();
            map[name] = Read(ref reader, typeof(AttributeValue), options);
        }

        return map;
    }

    public override void Write(Utf8JsonWriter writer, AttributeValue value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        if (value.S is not null) writer.WriteString("S", value.S);
        else if (value.N is not null) writer.WriteString("N", value.N);
        else if (value.B is not null) writer.WriteBase64String("B", value.B.ToArray());
        else if (value.BOOL is not null) writer.WriteBoolean("BOOL", value.BOOL.Value);
        else if (value.NULL is not null) writer.WriteBoolean("NULL", value.NULL.Value);
        else if (value.SS is not null) WriteStrings(writer, "SS", value.SS);
        else if (value.NS is not null) WriteStrings(writer, "NS", value.NS);
        else if (value.BS is not null)
        {
            writer.WriteStartArray("BS");
            foreach (var b in value.BS) writer.WriteBase64StringValue(b.ToArray());
            writer.WriteEndArray();
        }
        else if (value.L is not null)
        {
            writer.WriteStartArray("L");
            foreach (var item in value.L) Write(writer, item, options);
            writer.WriteEndArray();
        }
        else if (value.M is not null)
        {
            writer.WritePropertyName("M");
            writer.WriteStartObject();
            foreach (var (name, item) in value.M)
            {
                writer.WritePropertyName(name);
                Write(writer, item, options);
            }

            writer.WriteEndObject();
        }
        else
        {
            throw new JsonException("An AttributeValue without a value cannot be written.");
        }

        writer.WriteEndObject();
    }

    private delegate T ReadItem<out T>(ref Utf8JsonReader reader);

    private static List<T> ReadArray<T>(ref Utf8JsonReader reader, ReadItem<T> readItem)
    {
        Expect(ref reader, JsonTokenType.StartArray);
        var list = new List<T>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            list.Add(readItem(ref reader));
        }

        return list;
    }

    private static void WriteStrings(Utf8JsonWriter writer, string name, List<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var v in values) writer.WriteStringValue(v);
        writer.WriteEndArray();
    }

    private static void Expect(ref Utf8JsonReader reader, JsonTokenType type)
    {
        if (reader.TokenType != type)
        {
            throw new JsonException($"Expected {type} in a DynamoDB attribute value, found {reader.TokenType}.");
        }
    }
}

/// <summary>The <c>Dictionary&lt;string, AttributeValue&gt;</c> of keys and images.</summary>
internal sealed class AttributeMapJsonConverter : JsonConverter<Dictionary<string, AttributeValue>>
{
    private readonly AttributeValueJsonConverter _values = new();

    public override Dictionary<string, AttributeValue> Read(ref Utf8JsonReader reader, Type typeToConvert,
        JsonSerializerOptions options) => _values.ReadMap(ref reader, options);

    public override void Write(Utf8JsonWriter writer, Dictionary<string, AttributeValue> value, JsonSerializerOptions options)
    {
        writer.WriteStartObject();
        foreach (var (name, item) in value)
        {
            writer.WritePropertyName(name);
            _values.Write(writer, item, options);
        }

        writer.WriteEndObject();
    }
}
