using System.Buffers;
using System.Globalization;
using System.Text;
using System.Text.Json;
using PubSub.Json;
using PubSub.Aws.DynamoDB;
using Amazon.DynamoDBStreams.Model;
using PubSub.Aws.DynamoDBStreams;
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

    /// <summary>An event the stream publisher could not route or took for another region's: it has no
    /// topic, so it is not replayed from the queue; it stays in the table (<c>pubsub events replay</c>).</summary>
    public const string EventKind = "event";

    /// <summary>The largest body written. SQS takes 256 KiB with the attributes; a larger body carries the
    /// event's identity (<c>eventRef</c>, <c>truncated: true</c>) instead of the event, which stays in the table.</summary>
    public const int MaxBodyBytes = 256 * 1024 - 4096;

    public static string ForArchive(EventEnvelope envelope, string bucket, string errorCode, string errorMessage, DateTimeOffset failedAt) =>
        WriteFitting((writer, withEvent) =>
        {
            writer.WriteString("kind", ArchiveKind);
            writer.WriteString("reason", DeadLetterReason.ArchiveFailed);
            writer.WriteString("bucket", bucket);
            WriteError(writer, errorCode, errorMessage, 1, failedAt);
            WriteEvent(writer, envelope, withEvent);
        });

    /// <summary>An event dead-lettered before any topic was chosen (<see cref="EventKind"/>).</summary>
    public static string ForEvent(EventEnvelope envelope, string reason, string errorCode, string errorMessage, DateTimeOffset failedAt) =>
        WriteFitting((writer, withEvent) =>
        {
            writer.WriteString("kind", EventKind);
            writer.WriteString("reason", reason);
            WriteError(writer, errorCode, errorMessage, 1, failedAt);
            WriteEvent(writer, envelope, withEvent);
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
            DynamoDbItemJson.Write(writer, item);
        });

    /// <summary>A message of a webhook subscription's queue that was not delivered (attempts exhausted, endpoint
    /// disabled, not a CloudEvent). It goes to that subscription's own DLQ
    /// (<see cref="PubSub.Definition.WebhookNames.DeadLetterQueue"/>).</summary>
    public const string WebhookKind = "webhook";

    /// <summary>A webhook dead letter: the subscription, the endpoint, why, and the message's body as it was queued
    /// (the CloudEvent as JSON when it is JSON, else as text), so that it can be sent to the subscription again.</summary>
    /// <param name="publisher">The event's publisher and id, when the message had them.</param>
    public static string ForWebhook(string subscriptionId, string topic, string url, string reason, string? publisher, string? eventId,
        string body, string errorCode, string errorMessage, int attempts, DateTimeOffset failedAt) =>
        WriteFitting((writer, withEvent) =>
        {
            writer.WriteString("kind", WebhookKind);
            writer.WriteString("reason", reason);
            writer.WriteString("subscription", subscriptionId);
            writer.WriteString("topic", topic);
            writer.WriteString("url", url);
            WriteError(writer, errorCode, errorMessage, attempts, failedAt);
            if (withEvent)
            {
                if (IsJsonObject(body))
                {
                    writer.WritePropertyName("event");
                    writer.WriteRawValue(body);
                }
                else
                {
                    writer.WriteString("body", Text(body));
                }

                return;
            }

            writer.WriteBoolean("truncated", true);
            writer.WriteStartObject("eventRef");
            writer.WriteString("id", Text(eventId ?? ""));
            writer.WriteString("publisher", Text(publisher ?? ""));
            writer.WriteEndObject();
        });

    private static bool IsJsonObject(string text)
    {
        try
        {
            using var document = JsonDocument.Parse(text);
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    public static string ForPublish(EventEnvelope envelope, string reason, string topic, string? topicArn, string errorCode,
        string errorMessage, int attempts, DateTimeOffset failedAt) =>
        WriteFitting((writer, withEvent) =>
        {
            writer.WriteString("kind", PublishKind);
            writer.WriteString("reason", reason);
            writer.WriteString("topic", topic);
            if (topicArn is not null)
            {
                writer.WriteString("topicArn", topicArn);
            }

            WriteError(writer, errorCode, errorMessage, attempts, failedAt);
            WriteEvent(writer, envelope, withEvent);
        });

    /// <summary>A stream record that is not an event: the whole record, or (too large, or not writable) its
    /// identity in the stream.</summary>
    public static string ForUndecodableRecord(Record record, string errorMessage, DateTimeOffset failedAt)
    {
        void Common(Utf8JsonWriter writer)
        {
            writer.WriteString("kind", UndecodableRecordKind);
            writer.WriteString("reason", DeadLetterReason.UndecodableRecord);
            WriteError(writer, "UndecodableRecord", errorMessage, 1, failedAt);
        }

        if (TryWrite(writer =>
            {
                Common(writer);
                writer.WritePropertyName("record");
                writer.WriteRawValue(StreamRecordJson.Serialize(record));
            }) is { } full)
        {
            return full;
        }

        return Write(writer =>
        {
            Common(writer);
            writer.WriteBoolean("truncated", true);
            writer.WriteStartObject("record");
            writer.WriteString("eventID", Text(record.EventId ?? ""));
            writer.WriteString("sequenceNumber", Text(record.Dynamodb?.SequenceNumber ?? ""));
            if (record.Dynamodb?.SizeBytes is { } size)
            {
                writer.WriteNumber("sizeBytes", size);
            }

            writer.WriteEndObject();
        });
    }

    /// <summary>The whole event, or only what identifies it (when the whole would not fit or cannot be written).</summary>
    private static void WriteEvent(Utf8JsonWriter writer, EventEnvelope envelope, bool withEvent)
    {
        if (withEvent)
        {
            writer.WritePropertyName("event");
            CloudEventJson.Write(writer, envelope);

            // What the envelope holds beside the CloudEvent, so that a replay publishes the message the live path would
            // have (the trace context is a message attribute).
            writer.WriteString("receivedAt", envelope.ReceivedAt.ToString("O", CultureInfo.InvariantCulture));
            writer.WriteString("originRegion", Text(envelope.OriginRegion));
            if (envelope.TraceParent is { } traceParent)
            {
                writer.WriteString("traceparent", Text(traceParent));
            }

            if (envelope.TraceState is { } traceState)
            {
                writer.WriteString("tracestate", Text(traceState));
            }

            return;
        }

        writer.WriteBoolean("truncated", true);
        writer.WriteStartObject("eventRef");
        writer.WriteString("id", Text(envelope.Id));
        writer.WriteString("publisher", Text(envelope.Publisher));
        writer.WriteString("type", Text(envelope.Type));
        writer.WriteString("receivedAt", envelope.ReceivedAt.ToString("O", CultureInfo.InvariantCulture));
        writer.WriteEndObject();
    }

    /// <summary>Lone surrogates become U+FFFD, so that the JSON writer cannot refuse the text.</summary>
    private static string Text(string value) => Encoding.UTF8.GetString(Encoding.UTF8.GetBytes(value));

    private static string WriteFitting(Action<Utf8JsonWriter, bool> body) =>
        TryWrite(writer => body(writer, true)) ?? Write(writer => body(writer, false));

    /// <summary>Null when the body is over <see cref="MaxBodyBytes"/>, holds characters SQS refuses (raw data may
    /// hold U+FFFE) or cannot be written (an event that
    /// breaks the JSON writer is a reason to dead-letter it, not to lose it).</summary>
    private static string? TryWrite(Action<Utf8JsonWriter> body)
    {
        try
        {
            var text = Write(body);
            return Encoding.UTF8.GetByteCount(text) <= MaxBodyBytes && JsonText.Check(text, attribute: false) == TextFault.None ? text : null;
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or JsonException or FormatException)
        {
            return null;
        }
    }

    private static void WriteError(Utf8JsonWriter writer, string code, string message, int attempts, DateTimeOffset failedAt)
    {
        writer.WriteStartObject("error");
        writer.WriteString("code", code);
        writer.WriteString("message", Text(message.Length <= 1024 ? message : message[..1024]));
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
