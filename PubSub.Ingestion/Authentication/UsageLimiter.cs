using System.Collections.Concurrent;
using PubSub.Definition;

namespace PubSub.Ingestion.Authentication;

/// <summary>The local stand-in for API Gateway usage plans: a token bucket per publisher (rate and
/// burst) and a request count per calendar period (quota, UTC; weeks start on Monday). Counts live in
/// this process: a restart starts them afresh, where API Gateway keeps them.</summary>
public sealed class UsageLimiter(TimeProvider timeProvider)
{
    private readonly ConcurrentDictionary<string, Usage> _usage = new(StringComparer.Ordinal);

    public UsageDecision TryConsume(string publisher, UsagePlan plan)
    {
        var usage = _usage.GetOrAdd(publisher, _ => new Usage(plan.BurstLimit, timeProvider.GetTimestamp()));
        return usage.TryConsume(plan, timeProvider.GetUtcNow(), timeProvider.GetTimestamp(), timeProvider.TimestampFrequency);
    }

    public static DateTimeOffset PeriodStart(QuotaPeriod period, DateTimeOffset now)
    {
        var day = new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero);
        return period switch
        {
            QuotaPeriod.Day => day,
            QuotaPeriod.Week => day.AddDays(-(((int)day.DayOfWeek + 6) % 7)),
            _ => new DateTimeOffset(day.Year, day.Month, 1, 0, 0, 0, TimeSpan.Zero),
        };
    }

    public static DateTimeOffset PeriodEnd(QuotaPeriod period, DateTimeOffset now) => period switch
    {
        QuotaPeriod.Day => PeriodStart(period, now).AddDays(1),
        QuotaPeriod.Week => PeriodStart(period, now).AddDays(7),
        _ => PeriodStart(period, now).AddMonths(1),
    };

    private sealed class Usage(double tokens, long lastTimestamp)
    {
        private readonly Lock _lock = new();
        private double _tokens = tokens;
        private long _last = lastTimestamp;
        private DateTimeOffset _window;
        private long _count;

        public UsageDecision TryConsume(UsagePlan plan, DateTimeOffset now, long timestamp, long frequency)
        {
            lock (_lock)
            {
                if (plan.Quota is { } quota)
                {
                    var window = PeriodStart(quota.Period, now);
                    if (window != _window)
                    {
                        (_window, _count) = (window, 0);
                    }

                    if (_count >= quota.Limit)
                    {
                        var resets = PeriodEnd(quota.Period, now);
                        return UsageDecision.QuotaExceeded(quota, resets, Seconds((resets - now).TotalSeconds));
                    }
                }

                _tokens = Math.Min(plan.BurstLimit, _tokens + (timestamp - _last) * plan.RateLimit / frequency);
                _last = timestamp;
                if (_tokens < 1)
                {
                    return UsageDecision.RateLimited(Seconds((1 - _tokens) / plan.RateLimit));
                }

                _tokens -= 1;
                _count++;
                return UsageDecision.Allowed;
            }
        }

        private static int Seconds(double seconds) => (int)Math.Max(1, Math.Ceiling(seconds));
    }
}

/// <summary>Whether a request fits its publisher's plan, and if not when to come back.</summary>
public sealed record UsageDecision(bool IsAllowed, int RetryAfterSeconds = 0, Quota? Quota = null, DateTimeOffset ResetsAt = default)
{
    public static UsageDecision Allowed { get; } = new(true);

    public static UsageDecision RateLimited(int retryAfterSeconds) => new(false, retryAfterSeconds);

    public static UsageDecision QuotaExceeded(Quota quota, DateTimeOffset resetsAt, int retryAfterSeconds) =>
        new(false, retryAfterSeconds, quota, resetsAt);
}
