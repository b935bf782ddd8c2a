namespace PubSub.DeadLetters;

/// <summary>Why the stream publisher dead-lettered a record: the <c>reason</c> of a publish DLQ message,
/// the <c>reason</c> tag of its metric, and what <c>pubsub dlq peek</c> shows.</summary>
public static class DeadLetterReason
{
    /// <summary>The stream record could not be read back as an event.</summary>
    public const string UndecodableRecord = "undecodable-record";

    /// <summary>Routing the event or building its message failed (any exception, a routing budget included).</summary>
    public const string Unroutable = "unroutable";

    /// <summary>SNS can never take the message: too large, characters it refuses, a permanent 4xx.</summary>
    public const string Undeliverable = "undeliverable";

    /// <summary>The event's origin region is neither this region nor a configured replica region.</summary>
    public const string UnknownOriginRegion = "unknown-origin-region";

    /// <summary>SNS failed (unavailable, throttling) after every attempt; a replay can succeed.</summary>
    public const string PublishFailed = "publish-failed";

    /// <summary>The local poller narrowed a batch that kept failing unexpectedly down to this record, which
    /// failed alone again: a bug, dead-lettered so that it cannot block its shard.</summary>
    public const string ProcessingFailed = "processing-failed";

    /// <summary>The archive bucket refused the event.</summary>
    public const string ArchiveFailed = "archive-failed";

    /// <summary>A webhook subscription's message is not a CloudEvent with an id and a publisher: it can never be
    /// delivered (<see cref="DeadLetterMessage.WebhookKind"/>).</summary>
    public const string WebhookMalformed = "webhook-malformed";

    /// <summary>Every attempt of the retry schedule failed.</summary>
    public const string WebhookAttemptsExhausted = "webhook-attempts-exhausted";

    /// <summary>The endpoint is disabled (410 Gone, five days of failures, an operator): nothing is attempted.</summary>
    public const string WebhookEndpointDisabled = "webhook-endpoint-disabled";
}
