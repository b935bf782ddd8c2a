using Amazon.SimpleNotificationService.Model;

namespace PubSub.Events;

/// <summary>The SNS message an event becomes, for live publishing and both replays alike, so that a replayed
/// message differs from the live one only by <c>replayed=true</c>: the structured CloudEvent as the body, the
/// attributes subscribers filter on (<see cref="MessageAttributes"/>, the trace context among them) and, on a FIFO
/// topic, the publisher-scoped keys (<see cref="FifoKeys"/>).</summary>
/// <param name="Body">The event as <see cref="CloudEventJson"/> writes it.</param>
/// <param name="GroupId">The FIFO message group; null on a standard topic.</param>
/// <param name="DeduplicationId">The FIFO deduplication id; null on a standard topic.</param>
public sealed record EventMessage(string Body, Dictionary<string, MessageAttributeValue> Attributes, string? GroupId,
    string? DeduplicationId)
{
    /// <param name="body">The envelope's CloudEvent JSON, when the caller holds it already (it routed on it, or a
    /// dead letter kept it); else it is written here.</param>
    public static EventMessage For(EventEnvelope envelope, string topicArn, bool replayed = false, string? body = null)
    {
        var fifo = IsFifo(topicArn);
        return new EventMessage(
            body ?? CloudEventJson.ToJson(envelope),
            MessageAttributes.For(envelope, replayed),
            fifo ? FifoKeys.GroupOf(envelope) : null,
            fifo ? FifoKeys.DeduplicationIdOf(envelope) : null);
    }

    /// <summary>SNS names FIFO topics with this suffix, and only they take the FIFO keys.</summary>
    public static bool IsFifo(string topicArn) => topicArn.EndsWith(".fifo", StringComparison.Ordinal);

    public PublishRequest ToPublishRequest(string topicArn) => new()
    {
        TopicArn = topicArn,
        Message = Body,
        MessageAttributes = Attributes,
        MessageGroupId = GroupId,
        MessageDeduplicationId = DeduplicationId,
    };

    /// <param name="id">The entry's id within its batch.</param>
    public PublishBatchRequestEntry ToBatchEntry(string id) => new()
    {
        Id = id,
        Message = Body,
        MessageAttributes = Attributes,
        MessageGroupId = GroupId,
        MessageDeduplicationId = DeduplicationId,
    };
}
