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

    /// <summary>Equal jitter: a uniform delay in [c/2, c] with c = min(max, base * 2^attempt). Full
    /// jitter could wait (next to) nothing after a throttle, and a wait under 1 ms is no wait at all
    /// for Task.Delay, which counts whole milliseconds.</summary>
    public TimeSpan DelayBefore(int retryNumber, double random)
    {
        var ceiling = Math.Min(maxDelay.TotalMilliseconds, baseDelay.TotalMilliseconds * Math.Pow(2, retryNumber));
        return TimeSpan.FromMilliseconds(Math.Max(1, ceiling / 2 * (1 + random)));
    }
}
