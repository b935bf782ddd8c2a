using Amazon.Runtime;

namespace PubSub.Aws;

/// <summary>How long an AWS call may take, in one place. One retry layer per call: the client (our send
/// helper, or the SDK's own) makes at most <see cref="MaxAttempts"/> attempts of at most
/// <see cref="Attempt"/> each, and never past the current <see cref="CallDeadline"/>; callers do not retry
/// a failed call again. Each function keeps part of its time back so that its dead-letter fallback still
/// runs when a service hangs.</summary>
public static class AwsTimeouts
{
    /// <summary>Longest single attempt of a call (DynamoDB, SNS, SQS, DynamoDB Streams): their answers take
    /// milliseconds, so a silent service is given up on after this.</summary>
    public static readonly TimeSpan Attempt = TimeSpan.FromSeconds(3);

    /// <summary>Longest single attempt of an S3 upload (an archive object can be megabytes).</summary>
    public static readonly TimeSpan S3Attempt = TimeSpan.FromSeconds(10);

    /// <summary>Retries after the first attempt (the SDK's standard mode): three attempts in all.</summary>
    public const int MaxErrorRetry = 2;

    public const int MaxAttempts = MaxErrorRetry + 1;

    /// <summary>In Lambda the <see cref="CallDeadline"/> is this long before the invocation's deadline, so that
    /// every AWS call has ended (as a failure the core handles, not a cancellation) while the answer can still
    /// be posted; the handler's token is cancelled only 0.5 s before the deadline.</summary>
    public static readonly TimeSpan AnswerReserve = TimeSpan.FromSeconds(1);

    /// <summary>The ingestion function's timeout in Lambda, and the local host's budget per request.</summary>
    public static readonly TimeSpan IngestionInvocation = TimeSpan.FromSeconds(10);

    /// <summary>Kept back from the Events table write for the ingestion DLQ (which may use it to the deadline).</summary>
    public static readonly TimeSpan IngestionStoreReserve = TimeSpan.FromSeconds(2.5);

    /// <summary>The stream publisher's timeout in Lambda, and the local poller's budget per batch.</summary>
    public static readonly TimeSpan StreamInvocation = TimeSpan.FromSeconds(60);

    /// <summary>The webhook delivery function's timeout in Lambda: the longest attempt (a subscription's
    /// <c>timeoutSeconds</c>, at most 60) with room for the attempts table, the circuit and the queue calls.</summary>
    public static readonly TimeSpan WebhookInvocation = TimeSpan.FromSeconds(90);

    /// <summary>Kept back from publishing to SNS for the publish DLQ and the archive.</summary>
    public static readonly TimeSpan PublishReserve = TimeSpan.FromSeconds(15);

    /// <summary>Applies the attempt timeout and the retry count to a client's config (ours or the SDK's).</summary>
    public static T Apply<T>(T config, TimeSpan? attempt = null) where T : ClientConfig
    {
        config.Timeout = attempt ?? Attempt;
        config.MaxErrorRetry = MaxErrorRetry;
        return config;
    }
}
