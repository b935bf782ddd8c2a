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
        if (e.Extensions is not null && e.Extensions.TryGetValue(PartitionKeyExtension, out var json))
        {
            using var document = JsonDocument.Parse(json);
            var key = document.RootElement.ValueKind == JsonValueKind.String
                ? document.RootElement.GetString()
                : document.RootElement.GetRawText();
            if (!string.IsNullOrEmpty(key))
            {
                return Truncate(key);
            }
        }

        return Truncate(string.IsNullOrEmpty(e.Subject) ? e.Publisher : e.Subject);
    }

    public static string DeduplicationIdOf(EventEnvelope e) => Truncate(e.Id);

    /// <summary>SNS allows 128 characters in both.</summary>
    private static string Truncate(string value) => value.Length <= 128 ? value : value[..128];
}
