using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using PubSub.Aws.DynamoDBStreams.Internal;

namespace PubSub.Events;

/// <summary>A table item in DynamoDB's typed JSON (<c>{"pk":{"S":"…"}}</c>), as dead letters carry it.</summary>
public static class EventItemJson
{
    private static readonly AttributeMapJsonConverter Converter = new();
    private static readonly JsonSerializerOptions Options = new();

    public static void Write(Utf8JsonWriter writer, Dictionary<string, AttributeValue> item) => Converter.Write(writer, item, Options);

    public static Dictionary<string, AttributeValue> Read(ref Utf8JsonReader reader) =>
        Converter.Read(ref reader, typeof(Dictionary<string, AttributeValue>), Options);
}
