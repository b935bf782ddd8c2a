using System.Globalization;
using System.Text;
using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using PubSub.Aws.DynamoDB;
using PubSub.DeadLetters;
using PubSub.Events;

namespace PubSub.Operations;

/// <summary>A dead-letter message body read back (the format <see cref="DeadLetterMessage"/> writes).
/// Unknown or damaged bodies read as kind <c>unknown</c> with the reason as the error, never an exception.</summary>
public sealed record DeadLetterBody : DeadLetterSummary
{
    public const string UnknownKind = "unknown";

    /// <summary>A body of <paramref name="kind"/> whose event is not known yet.</summary>
    private DeadLetterBody(string kind, string errorCode, string errorMessage, int attempts, DateTimeOffset? failedAt)
        : base(kind, null, null, null, null, errorCode, errorMessage, attempts, failedAt)
    {
    }

    /// <summary>The table item of an ingestion message.</summary>
    public Dictionary<string, AttributeValue>? Item { get; init; }

    /// <summary>The structured CloudEvent (UTF-8 JSON) of a publish or archive message.</summary>
    public byte[]? Event { get; init; }

    /// <summary>A publish message's topic ARN, when the publisher knew it.</summary>
    public string? TopicArn { get; init; }

    /// <summary>The body holds only the event's identity (the whole was over SQS's size); the event is in the table.</summary>
    public bool Truncated { get; init; }

    /// <summary>The event's trace context, kept beside a publish or archive message's event (null in older messages).</summary>
    public string? TraceParent { get; init; }

    public string? TraceState { get; init; }

    /// <summary>When the event was accepted and where (null in older messages).</summary>
    public DateTimeOffset? ReceivedAt { get; init; }

    public string? OriginRegion { get; init; }

    /// <summary>The envelope of a message that holds its event (<see cref="Event"/>), as the stream publisher held it,
    /// so that a replay maps it to a message as the live path does. An older message, which kept no receipt time or
    /// region, reads with its failure time and an empty region: neither is part of a message.</summary>
    /// <exception cref="InvalidOperationException">The message holds no event, or the event cannot be read back.</exception>
    /// <exception cref="JsonException">The event is not JSON.</exception>
    public EventEnvelope ToEnvelope() =>
        CloudEventJson.Read(Event ?? throw new InvalidOperationException("The dead letter holds no event."),
            ReceivedAt ?? FailedAt ?? DateTimeOffset.UnixEpoch, OriginRegion ?? "") with
        {
            TraceParent = TraceParent,
            TraceState = TraceState,
        };

    public static DeadLetterBody Read(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var kind = String(root, "kind") ?? UnknownKind;
            var error = root.TryGetProperty("error", out var e) && e.ValueKind == JsonValueKind.Object ? e : default;
            var code = error.ValueKind == JsonValueKind.Object ? String(error, "code") ?? "" : "";
            var message = error.ValueKind == JsonValueKind.Object ? String(error, "message") ?? "" : "";
            var attempts = error.ValueKind == JsonValueKind.Object && error.TryGetProperty("attempts", out var a) && a.TryGetInt32(out var n) ? n : 1;
            var failedAt = Time(root, "failedAt");
            var result = new DeadLetterBody(kind, code, message, attempts, failedAt)
            {
                Reason = String(root, "reason"),
                Truncated = root.TryGetProperty("truncated", out var truncated) && truncated.ValueKind == JsonValueKind.True,
            };
            switch (kind)
            {
                case DeadLetterMessage.IngestionKind when root.TryGetProperty("item", out var itemJson):
                    var bytes = Encoding.UTF8.GetBytes(itemJson.GetRawText());
                    var reader = new Utf8JsonReader(bytes);
                    reader.Read();
                    var item = DynamoDbItemJson.Read(ref reader);
                    var envelope = EventItem.FromItem(item);
                    return result with
                    {
                        EventId = envelope.Id, Publisher = envelope.Publisher, EventType = envelope.Type,
                        Target = String(root, "table"), Item = item,
                    };
                case DeadLetterMessage.PublishKind or DeadLetterMessage.ArchiveKind when root.TryGetProperty("event", out var cloudEvent):
                    return WithEvent(result, root, cloudEvent) with
                    {
                        Target = kind == DeadLetterMessage.PublishKind ? String(root, "topic") : String(root, "bucket"),
                        TopicArn = String(root, "topicArn"),
                    };
                case DeadLetterMessage.PublishKind or DeadLetterMessage.ArchiveKind or DeadLetterMessage.EventKind
                    when root.TryGetProperty("eventRef", out var reference):
                    return result with
                    {
                        EventId = String(reference, "id"), Publisher = String(reference, "publisher"), EventType = String(reference, "type"),
                        Target = kind == DeadLetterMessage.PublishKind ? String(root, "topic") : String(root, "bucket"),
                        TopicArn = String(root, "topicArn"),
                    };
                case DeadLetterMessage.WebhookKind when root.TryGetProperty("event", out var cloudEvent) && cloudEvent.ValueKind == JsonValueKind.Object:
                    return WithEvent(result, root, cloudEvent) with { Target = String(root, "subscription") };
                case DeadLetterMessage.WebhookKind when root.TryGetProperty("eventRef", out var reference):
                    return result with
                    {
                        EventId = String(reference, "id"), Publisher = String(reference, "publisher"), Target = String(root, "subscription"),
                    };
                case DeadLetterMessage.WebhookKind:
                    return result with { Target = String(root, "subscription") };
                case DeadLetterMessage.EventKind when root.TryGetProperty("event", out var cloudEvent):
                    return WithEvent(result, root, cloudEvent);
                default:
                    return result;
            }
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            return new DeadLetterBody(UnknownKind, "Unreadable", $"The message is not a dead letter of this system: {ex.Message}", 0, null);
        }
    }

    /// <summary>A body that holds the whole event, and what the envelope kept beside it.</summary>
    private static DeadLetterBody WithEvent(DeadLetterBody result, JsonElement root, JsonElement cloudEvent) => result with
    {
        EventId = String(cloudEvent, "id"), Publisher = String(cloudEvent, "publisher"), EventType = String(cloudEvent, "type"),
        Event = Encoding.UTF8.GetBytes(cloudEvent.GetRawText()),
        TraceParent = String(root, "traceparent"),
        TraceState = String(root, "tracestate"),
        ReceivedAt = Time(root, "receivedAt"),
        OriginRegion = String(root, "originRegion"),
    };

    private static DateTimeOffset? Time(JsonElement element, string name) =>
        DateTimeOffset.TryParse(String(element, name), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null;

    private static string? String(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
            ? value.GetString()
            : null;
}
