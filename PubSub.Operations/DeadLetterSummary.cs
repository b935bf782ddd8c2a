namespace PubSub.Operations;

/// <summary>What a dead letter says about itself, as its body records it and as an operator reads it; never the
/// payload. <see cref="DeadLetterBody"/> (a body read back) and <see cref="DeadLetterEntry"/> (a queued message
/// as listed) are both this.</summary>
/// <param name="Kind">ingestion, publish, archive, event or undecodable-record.</param>
/// <param name="Target">Where replaying it writes: the table, the topic or the bucket.</param>
public abstract record DeadLetterSummary(
    string Kind,
    string? EventId,
    string? Publisher,
    string? EventType,
    string? Target,
    string ErrorCode,
    string ErrorMessage,
    int Attempts,
    DateTimeOffset? FailedAt)
{
    /// <summary>Why the stream publisher dead-lettered it (a <see cref="PubSub.DeadLetters.DeadLetterReason"/>:
    /// undecodable-record, unroutable, undeliverable, unknown-origin-region, processing-failed, publish-failed,
    /// archive-failed); null for older messages and ingestion messages.</summary>
    public string? Reason { get; init; }
}
