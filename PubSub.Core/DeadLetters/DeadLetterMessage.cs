using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using PubSub.Aws.DynamoDBStreams;
using PubSub.Aws.DynamoDBStreams.Model;
using PubSub.Events;

namespace PubSub.DeadLetters;

/// <summary>The body of a dead-letter message: what failed, why, when, and everything needed to
/// replay it (the whole event, and for a publish failure the topic it was meant for).</summary>
public static class DeadLetterMessage
{
    /// <summary>An event that could not be published to its topic.</summary>
    public const string PublishKind = "publish";

    /// <summary>A stream record that could not be read back as an event (it cannot be replayed as is).</summary>
    public const string UndecodableRecordKind = "undecodable-record";

    /// <summary>An event that could not be written to the archive bucket; replaying it archives it.</summary>
    public const string ArchiveKind = "archive";

    public static string ForArchive(EventEnvelope envelope, string bucket, string errorCode, string errorMessage, DateTimeOffset failedAt) =>
        Write(writer =>
        {
            writer.WriteString("kind", ArchiveKind);
            writer.WriteString("bucket", bucket);
            WriteError(writer, errorCode, errorMessage, 1, failedAt);
            writer.WritePropertyName("event");
            CloudEventJson.Write(writer, envelope);
        });

    /// <summary>An accepted event that could not be written to the Events table; replaying it writes the item.</summary>
    public const string IngestionKind = "ingestion";

    public static string ForIngestion(Dictionary<string, Amazon.DynamoDBv2.Model.AttributeValue> item, string table,
        string errorCode, string errorMessage, DateTimeOffset failedAt) =>
        Write(writer =>
        {
            writer.WriteString("kind", IngestionKind);
            writer.WriteString("table", table);
            WriteError(writer, errorCode, errorMessage, 1, failedAt);
            writer.WritePropertyName("item");
            EventItemJson.Write(writer, item);
        });

    public static string ForPublish(EventEnvelope envelope, string topic, string? topicArn, string errorCode,
        string errorMessage, int attempts, DateTimeOffset failedAt) =>
        Write(writer =>
        {
            writer.WriteString("kind", PublishKind);
            writer.WriteString("topic", topic);
            if (topicArn is not null)
            {
                writer.WriteString("topicArn", topicArn);
            }

            WriteError(writer, errorCode, errorMessage, attempts, failedAt);
            writer.WritePropertyName("event");
            CloudEventJson.Write(writer, envelope);
        });

    public static string ForUndecodableRecord(Record record, string errorMessage, DateTimeOffset failedAt) =>
        Write(writer =>
        {
            writer.WriteString("kind", UndecodableRecordKind);
            WriteError(writer, "UndecodableRecord", errorMessage, 1, failedAt);
            writer.WritePropertyName("record");
            writer.WriteRawValue(StreamRecordJson.Serialize(record));
        });

    private static void WriteError(Utf8JsonWriter writer, string code, string message, int attempts, DateTimeOffset failedAt)
    {
        writer.WriteStartObject("error");
        writer.WriteString("code", code);
        writer.WriteString("message", message);
        writer.WriteNumber("attempts", attempts);
        writer.WriteEndObject();
        writer.WriteString("failedAt", failedAt.ToString("O", CultureInfo.InvariantCulture));
    }

    private static string Write(Action<Utf8JsonWriter> body)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            body(writer);
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }
}
