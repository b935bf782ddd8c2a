using System.Collections.Concurrent;

namespace PubSub.Webhooks.Delivery;

/// <summary>Each endpoint's deliveries per second, as a token bucket on a <see cref="TimeProvider"/>: it holds one
/// second's worth of tokens (a burst of <c>rate</c>, at least one) and refills continuously. Ours rather than
/// System.Threading.RateLimiting's TokenBucketRateLimiter, which refills on its own timer instead of a TimeProvider
/// (untestable without waiting) and would need one limiter object per endpoint anyway. It never blocks: a refused
/// delivery gets the wait until its token, and the caller waits or hides the message; either way it is not an
/// attempt and not a failure. Per process: N concurrent workers each allow the rate, so the worker divides it (or
/// caps the event source mapping's concurrency).</summary>
public sealed class EndpointRateLimiter(TimeProvider timeProvider)
{
    public const double DefaultRate = 50;

    private readonly ConcurrentDictionary<string, Bucket> buckets = new(StringComparer.Ordinal);

    /// <summary>Takes a token for <paramref name="endpointId"/> if one is there: <see cref="TimeSpan.Zero"/>; else
    /// the wait until the next one (nothing taken).</summary>
    /// <param name="ratePerSecond">The endpoint's <c>rateLimit</c>; a change takes effect at the next refill.</param>
    public TimeSpan TryAcquire(string endpointId, double ratePerSecond)
    {
        if (!double.IsFinite(ratePerSecond) || ratePerSecond <= 0)
        {
            throw new ArgumentOutOfRangeException(nameof(ratePerSecond), ratePerSecond, "A rate is a finite number of deliveries per second above 0.");
        }

        var now = timeProvider.GetTimestamp();
        var bucket = buckets.GetOrAdd(endpointId, static (_, start) => new Bucket(Math.Max(1, start.Rate), start.Now), (Rate: ratePerSecond, Now: now));
        return bucket.TryTake(ratePerSecond, now, timeProvider.TimestampFrequency);
    }

    private sealed class Bucket(double tokens, long refilledAt)
    {
        private readonly Lock gate = new();

        public TimeSpan TryTake(double rate, long now, long frequency)
        {
            lock (gate)
            {
                var elapsed = Math.Max(0, now - refilledAt) / (double)frequency;
                // At least one token of room: a rate below 1/s (one delivery every few seconds) must still fill to one.
                tokens = Math.Min(Math.Max(1, rate), tokens + elapsed * rate);
                refilledAt = Math.Max(now, refilledAt);
                if (tokens >= 1)
                {
                    tokens -= 1;
                    return TimeSpan.Zero;
                }

                return TimeSpan.FromSeconds((1 - tokens) / rate);
            }
        }
    }
}
