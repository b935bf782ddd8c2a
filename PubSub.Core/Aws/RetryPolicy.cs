using Amazon.Runtime;

namespace PubSub.Aws;

/// <summary>Which failures are worth another attempt, and how long to wait before it:
/// exponential backoff with full jitter, as the SDK's standard retry mode does.</summary>
internal sealed class RetryPolicy(int maxAttempts, TimeSpan baseDelay, TimeSpan maxDelay)
{
    public int MaxAttempts { get; } = Math.Max(1, maxAttempts);

    public static RetryPolicy FromConfig(ClientConfig config) =>
        new(config.MaxErrorRetry + 1, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(5));

    public static bool IsRetryable(AmazonServiceException error) => AwsErrors.IsTransient(error);

    /// <summary>Full jitter: a uniform delay in [0, min(max, base * 2^attempt)].</summary>
    public TimeSpan DelayBefore(int retryNumber, double random)
    {
        var ceiling = Math.Min(maxDelay.TotalMilliseconds, baseDelay.TotalMilliseconds * Math.Pow(2, retryNumber));
        return TimeSpan.FromMilliseconds(ceiling * random);
    }
}
