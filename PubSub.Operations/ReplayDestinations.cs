using PubSub.Definition;

namespace PubSub.Operations;

/// <summary>Where a replay may write: this system's Events table and archive bucket (from configuration,
/// else the definition), the definition's topics (their ARNs resolved by name) and its webhook subscriptions' queues. A dead letter's body only
/// says which of these it failed to reach; whoever can write to a DLQ must not choose where a replay writes.</summary>
/// <param name="Table">The Events table.</param>
/// <param name="ArchiveBucket">The archive bucket.</param>
/// <param name="Topics">The topic names of the definition (the unrouted topic among them).</param>
public sealed record ReplayDestinations(string Table, string ArchiveBucket, IReadOnlySet<string> Topics)
{
    /// <summary>The queue of each webhook subscription of the definition, by subscription id.</summary>
    public IReadOnlyDictionary<string, string> WebhookQueues { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The same variables the functions read: names a stack chose win over the definition's.</summary>
    public const string TableVariable = "PUBSUB_EVENTS_TABLE";
    public const string ArchiveBucketVariable = "PUBSUB_ARCHIVE_BUCKET";

    public static ReplayDestinations Of(SystemDefinition definition, Func<string, string?>? variable = null)
    {
        var topics = new HashSet<string>(definition.Topics.Select(t => t.Name), StringComparer.Ordinal);
        if (definition.UnroutedTopic is { } unrouted)
        {
            topics.Add(unrouted);
        }

        return new ReplayDestinations(
            variable?.Invoke(TableVariable) is { Length: > 0 } table ? table : definition.Events.Table,
            variable?.Invoke(ArchiveBucketVariable) is { Length: > 0 } bucket ? bucket : definition.Events.ArchiveBucket,
            topics)
        {
            WebhookQueues = definition.Subscriptions.Where(s => s is { IsWebhook: true, Id: not null })
                .ToDictionary(s => s.Id!, s => WebhookNames.Queue(definition, s.Id!), StringComparer.Ordinal),
        };
    }
}
