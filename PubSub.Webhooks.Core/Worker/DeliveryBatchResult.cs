namespace PubSub.Webhooks.Worker;

/// <summary>What became of a batch: the messages that must stay on the queue (hidden until their next attempt,
/// or left for their visibility timeout after a failure of ours). Every other message is finished (delivered,
/// dead-lettered or dropped with a reason) and is deleted: by the local worker, or by Lambda's event source
/// mapping, which deletes what the partial batch response does not name.</summary>
public sealed record DeliveryBatchResult(IReadOnlyList<string> MessageIdsToKeep)
{
    public static DeliveryBatchResult AllDone { get; } = new([]);
}
