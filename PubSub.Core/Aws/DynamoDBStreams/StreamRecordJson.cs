using System.Text.Json;
using PubSub.Aws.DynamoDBStreams.Internal;
using PubSub.Aws.DynamoDBStreams.Model;

namespace PubSub.Aws.DynamoDBStreams;

/// <summary>A stream record in its wire JSON (the GetRecords and Lambda event shape).</summary>
public static class StreamRecordJson
{
    public static string Serialize(Record record) => JsonSerializer.Serialize(record, StreamsJsonContext.Default.Record);

    public static Record? Deserialize(string json) => JsonSerializer.Deserialize(json, StreamsJsonContext.Default.Record);
}
