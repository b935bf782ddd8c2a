using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using PubSub.Aws.DynamoDBStreams.Internal;

namespace PubSub.Aws.DynamoDB;

/// <summary>A table item in DynamoDB's typed JSON (<c>{"pk":{"S":"…"}}</c>), as PutItem and dead letters carry it.</summary>
public static class DynamoDbItemJson
{
    private static readonly AttributeMapJsonConverter Converter = new();
    private static readonly JsonSerializerOptions Options = new();

    public static void Write(Utf8JsonWriter writer, Dictionary<string, AttributeValue> item) => Converter.Write(writer, item, Options);

    public static Dictionary<string, AttributeValue> Read(ref Utf8JsonReader reader) =>
        Converter.Read(ref reader, typeof(Dictionary<string, AttributeValue>), Options);
}
