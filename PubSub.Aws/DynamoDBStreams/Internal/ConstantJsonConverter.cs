using System.Text.Json;
using System.Text.Json.Serialization;
using Amazon.Runtime;

namespace PubSub.Aws.DynamoDBStreams.Internal;

/// <summary>A <see cref="ConstantClass"/> value as its wire string.</summary>
internal abstract class ConstantJsonConverter<T>(Func<string, T> find) : JsonConverter<T>
    where T : ConstantClass
{
    public override T? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Null ? null : find(reader.GetString()!);

    public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) => writer.WriteStringValue(value.Value);
}

internal sealed class OperationTypeJsonConverter() : ConstantJsonConverter<Amazon.DynamoDBStreams.OperationType>(Amazon.DynamoDBStreams.OperationType.FindValue);

internal sealed class ShardIteratorTypeJsonConverter()
    : ConstantJsonConverter<Amazon.DynamoDBStreams.ShardIteratorType>(Amazon.DynamoDBStreams.ShardIteratorType.FindValue);
