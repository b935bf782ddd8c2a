namespace PubSub.Webhooks.Worker;

/// <summary>The state of one ordered key (subscription, publisher, <c>partitionkey</c>): its undelivered events
/// (<see cref="Entries"/>, by <c>webhook-id</c>) and the order key of the latest one that finished. Stored as one item
/// of the endpoints table (<see cref="DynamoDbOrderedKeyStore"/>); every change is a write conditional on
/// <see cref="Version"/>. The rules are <see cref="OrderedKeyRules"/> (docs/webhooks-delivery.md, "Ordering").</summary>
/// <param name="Last">The largest order key of an event that finished (delivered or dead-lettered); an event older
/// than it is late.</param>
internal sealed record OrderedKeyState(IReadOnlyDictionary<string, OrderedEntry> Entries, string? Last, long Version)
{
    public static readonly OrderedKeyState Empty = new(new Dictionary<string, OrderedEntry>(StringComparer.Ordinal), null, 0);
}

/// <summary>One undelivered event of an ordered key.</summary>
/// <param name="Order">Its order key (<see cref="OrderedKeyRules.OrderKeyOf"/>): text whose ordinal order is time order.</param>
/// <param name="RegisteredAt">When a worker first saw it; the settle window counts from here.</param>
/// <param name="Until">The entry is alive until then (its message is in a worker's hands, or hidden and due back before).
/// Past it the entry is stale (its message vanished, or the worker handling it died) and no longer holds anything.</param>
/// <param name="Due">When its hidden message comes back; null while a worker has it.</param>
/// <param name="Taken">The key's head: it goes, or waits for its retry, before every other event of the key.</param>
/// <param name="Token">The handling that has the head in flight; null while it waits hidden for its retry (then any
/// receipt of its message resumes it).</param>
internal sealed record OrderedEntry(string Order, DateTimeOffset RegisteredAt, DateTimeOffset Until, DateTimeOffset? Due, bool Taken, string? Token);
