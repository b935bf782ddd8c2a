using System.Text.Json;

namespace PubSub.Events;

/// <summary>Ordering and deduplication for FIFO topics. Events of one group are delivered in order:
/// the group is the publisher's ordering key (the CloudEvents partitioning extension,
/// <c>partitionkey</c>), else the event's subject, else its publisher. The event id deduplicates.</summary>
public static class FifoKeys
{
    public const string PartitionKeyExtension = "partitionkey";

    public static string GroupOf(EventEnvelope e)
    {
        string? partitionKey = null;
        if (e.Extensions is not null && e.Extensions.TryGetValue(PartitionKeyExtension, out var json))
        {
            using var document = JsonDocument.Parse(json);
            partitionKey = KeyText(document.RootElement);
        }

        return Choose(partitionKey, e.Subject, e.Publisher);
    }

    /// <summary>The same group for a structured CloudEvent (a dead letter being replayed).</summary>
    public static string GroupOf(JsonElement cloudEvent) => Choose(
        cloudEvent.TryGetProperty(PartitionKeyExtension, out var key) ? KeyText(key) : null,
        cloudEvent.TryGetProperty("subject", out var subject) && subject.ValueKind == JsonValueKind.String ? subject.GetString() : null,
        cloudEvent.TryGetProperty("publisher", out var publisher) && publisher.ValueKind == JsonValueKind.String ? publisher.GetString() ?? "" : "");

    public static string DeduplicationIdOf(EventEnvelope e) => DeduplicationIdOf(e.Id);

    public static string DeduplicationIdOf(string eventId) => Truncate(eventId);

    private static string? KeyText(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? value.GetString() : value.GetRawText();

    private static string Choose(string? partitionKey, string? subject, string publisher) =>
        Truncate(!string.IsNullOrEmpty(partitionKey) ? partitionKey : !string.IsNullOrEmpty(subject) ? subject : publisher);

    /// <summary>SNS allows 128 characters in both.</summary>
    private static string Truncate(string value) => value.Length <= 128 ? value : value[..128];
}
