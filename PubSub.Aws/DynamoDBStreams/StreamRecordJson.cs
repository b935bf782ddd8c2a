using System.Text.Json;
using PubSub.Aws.DynamoDBStreams.Internal;
using Amazon.DynamoDBStreams.Model;

namespace PubSub.Aws.DynamoDBStreams;

/// <summary>A stream record in its wire JSON (the GetRecords and Lambda event shape).</summary>
public static class StreamRecordJson
{
    public static string Serialize(Record record) => JsonSerializer.Serialize(record, StreamsJsonContext.Default.Record);

    public static Record? Deserialize(string json) => JsonSerializer.Deserialize(json, StreamsJsonContext.Default.Record);

    /// <summary>Reads the <c>{"Records": [...]}</c> event Lambda receives from a stream.</summary>
    /// <exception cref="JsonException">The bytes are not such an event.</exception>
    public static DynamoDbStreamEvent DeserializeEvent(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize(json, StreamsJsonContext.Default.DynamoDbStreamEvent)
        ?? throw new JsonException("The stream event is null.");
}
