namespace PubSub.IntegrationTests.Faults;

/// <summary>What a fault test prints: where every event went. <see cref="Lost"/> is the acknowledged
/// events that no subscriber received; a fault test fails unless it is 0.</summary>
internal sealed record Accounting(
    string Fault, int Sent, int Accepted, int Rejected, int Unanswered, int Stored, int DeadLettered, int Replayed,
    int Delivered, int Duplicates, int Lost)
{
    /// <summary>Counts where the events the load sent went, once the test is done with the stack.</summary>
    public static Task<Accounting> CountAsync(string fault, PublisherLoad load, FaultStack stack, SubscriberCollector subscriber,
        int deadLettered, int replayed) =>
        CountAsync(fault, load, stack, subscriber.Received, id => id, deadLettered, replayed);

    /// <param name="received">What the subscriber received, with how many times, keyed by <paramref name="keyOf"/>.</param>
    /// <param name="keyOf">An accepted event's key in <paramref name="received"/> (its id, or its webhook-id).</param>
    public static async Task<Accounting> CountAsync(string fault, PublisherLoad load, FaultStack stack, IReadOnlyDictionary<string, int> received,
        Func<string, string> keyOf, int deadLettered, int replayed)
    {
        var accepted = load.Accepted.ToHashSet(StringComparer.Ordinal);
        var keys = accepted.Select(keyOf).ToList();
        return new Accounting(fault, load.Sent, accepted.Count, load.Rejected, load.Unanswered, await stack.StoredCountAsync(accepted),
            deadLettered, replayed, keys.Count(received.ContainsKey), received.Values.Sum(n => n - 1), keys.Count(k => !received.ContainsKey(k)));
    }

    public override string ToString() =>
        $"accounting ({Fault}): sent {Sent}, accepted {Accepted}, rejected {Rejected}, unanswered {Unanswered}, stored {Stored}, " +
        $"dead-lettered {DeadLettered}, replayed {Replayed}, delivered {Delivered} ({Duplicates} duplicates), lost {Lost}";
}
