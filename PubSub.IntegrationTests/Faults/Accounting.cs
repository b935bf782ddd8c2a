namespace PubSub.IntegrationTests.Faults;

/// <summary>What a fault test prints: where every event went. <see cref="Lost"/> is the acknowledged
/// events that no subscriber received; a fault test fails unless it is 0.</summary>
internal sealed record Accounting(
    string Fault, int Sent, int Accepted, int Rejected, int Unanswered, int Stored, int DeadLettered, int Replayed,
    int Delivered, int Duplicates, int Lost)
{
    /// <summary>Counts where the events the load sent went, once the test is done with the stack.</summary>
    public static async Task<Accounting> CountAsync(string fault, PublisherLoad load, FaultStack stack, SubscriberCollector subscriber,
        int deadLettered, int replayed)
    {
        var accepted = load.Accepted.ToHashSet(StringComparer.Ordinal);
        return new Accounting(fault, load.Sent, accepted.Count, load.Rejected, load.Unanswered, await stack.StoredCountAsync(accepted),
            deadLettered, replayed, subscriber.Received.Keys.Count(accepted.Contains), subscriber.Duplicates,
            accepted.Count(id => !subscriber.Received.ContainsKey(id)));
    }

    public override string ToString() =>
        $"accounting ({Fault}): sent {Sent}, accepted {Accepted}, rejected {Rejected}, unanswered {Unanswered}, stored {Stored}, " +
        $"dead-lettered {DeadLettered}, replayed {Replayed}, delivered {Delivered} ({Duplicates} duplicates), lost {Lost}";
}
