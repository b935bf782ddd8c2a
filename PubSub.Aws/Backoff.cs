namespace PubSub.Aws;

/// <summary>The one backoff policy of the system: waits that double from <see cref="BaseDelay"/> up to
/// <see cref="MaxDelay"/>, with equal jitter, for every retry (the AWS send helper's attempts, the topic
/// publisher's re-sends of failed entries, the stream poller's retries, the provisioner's). Ours rather than
/// Polly's: the callers schedule their retries differently (a loop, a shard's next read time), and all they
/// share is this formula.</summary>
/// <param name="BaseDelay">The longest wait before the first retry.</param>
/// <param name="MaxDelay">The longest wait of all.</param>
public sealed record Backoff(TimeSpan BaseDelay, TimeSpan MaxDelay)
{
    /// <summary>Retries of AWS calls: the SDK's standard mode's base delay and cap.</summary>
    public static Backoff Standard { get; } = new(TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(5));

    /// <summary>Re-sends of the entries AWS failed inside a successful batch call (throttled, mostly): twice the
    /// standard base, so that a throttled topic gets a little more room before the entries are dead-lettered.</summary>
    public static Backoff EntryResend { get; } = new(TimeSpan.FromMilliseconds(100), TimeSpan.FromSeconds(5));

    /// <summary>The longest wait before retry number <paramref name="retry"/> (0 for the first):
    /// min(<see cref="MaxDelay"/>, <see cref="BaseDelay"/> * 2^retry).</summary>
    public TimeSpan Ceiling(int retry) =>
        TimeSpan.FromMilliseconds(Math.Min(MaxDelay.TotalMilliseconds, BaseDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, retry))));

    /// <summary>Equal jitter: a uniform delay in [c/2, c] with c the <see cref="Ceiling"/>. Full jitter could wait
    /// (next to) nothing after a throttle, and a wait under 1 ms is no wait at all for Task.Delay, which counts
    /// whole milliseconds.</summary>
    /// <param name="random">A number in [0, 1).</param>
    public TimeSpan DelayBefore(int retry, double random) =>
        TimeSpan.FromMilliseconds(Math.Max(1, Ceiling(retry).TotalMilliseconds / 2 * (1 + random)));

    public TimeSpan DelayBefore(int retry) => DelayBefore(retry, Random.Shared.NextDouble());
}
