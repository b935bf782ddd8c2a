namespace PubSub.Operations;

/// <summary>One dead-letter queue of the system and how much it holds.</summary>
/// <param name="Role">What the queue receives: <c>ingestion</c> (events the table refused) or <c>publish</c>
/// (events a topic or the archive refused).</param>
/// <param name="Visible">Messages waiting (CloudWatch's ApproximateNumberOfMessagesVisible).</param>
/// <param name="InFlight">Messages received and not yet deleted (a replay or peek in progress).</param>
public sealed record DeadLetterQueueStatus(string Role, string Name, string Url, long Visible, long InFlight);

/// <summary>A dead-lettered message as an operator reads it; never the payload.</summary>
/// <param name="Kind">ingestion, publish, archive, event or undecodable-record.</param>
/// <param name="Target">Where replaying it writes: the table, the topic or the bucket.</param>
/// <param name="Reason">Why the stream publisher dead-lettered it (undecodable-record, unroutable, undeliverable,
/// unknown-origin-region, processing-failed, publish-failed, archive-failed); null for ingestion messages.</param>
public sealed record DeadLetterEntry(
    string MessageId,
    string Kind,
    string? EventId,
    string? Publisher,
    string? EventType,
    string? Target,
    string ErrorCode,
    string ErrorMessage,
    int Attempts,
    DateTimeOffset? FailedAt,
    TimeSpan Age,
    string? Reason = null);

/// <summary>What a replay did. Nothing is deleted from a queue before it was written back, so
/// <c>Read = Replayed + Duplicates + Failed + Skipped</c>, and only replayed and duplicate messages left the queue.</summary>
/// <param name="Stopped">The replay stopped early because the destination was unavailable; what it did
/// not reach stays in the queue for the next run.</param>
public sealed record ReplayReport(int Read, int Replayed, int Duplicates, int Failed, int Skipped, bool DryRun,
    IReadOnlyList<string> Problems, bool Stopped = false);
