using Microsoft.Extensions.Time.Testing;
using PubSub.Definition;
using PubSub.Ingestion.Authentication;

namespace PubSub.UnitTests.Ingestion;

public sealed class UsageLimiterTests
{
    private static readonly DateTimeOffset Wednesday = DateTimeOffset.Parse("2024-05-01T23:59:58Z", System.Globalization.CultureInfo.InvariantCulture);

    [Fact]
    public void A_burst_is_allowed_then_the_rate_applies_with_a_retry_after()
    {
        var time = new FakeTimeProvider(Wednesday);
        var limiter = new UsageLimiter(time);
        var plan = new UsagePlan(RateLimit: 5, BurstLimit: 10);

        var burst = Enumerable.Range(0, 10).Select(_ => limiter.TryConsume("acme", plan)).ToList();
        var over = limiter.TryConsume("acme", plan);

        Assert.All(burst, d => Assert.True(d.IsAllowed));
        Assert.False(over.IsAllowed);
        Assert.Equal(1, over.RetryAfterSeconds);
        Assert.Null(over.Quota);

        time.Advance(TimeSpan.FromMilliseconds(200)); // one token at 5 per second
        Assert.True(limiter.TryConsume("acme", plan).IsAllowed);
        Assert.False(limiter.TryConsume("acme", plan).IsAllowed);
    }

    [Fact]
    public void A_slow_rate_asks_for_a_longer_wait()
    {
        var limiter = new UsageLimiter(new FakeTimeProvider(Wednesday));
        var plan = new UsagePlan(RateLimit: 0.25, BurstLimit: 1);

        limiter.TryConsume("p", plan);

        Assert.Equal(4, limiter.TryConsume("p", plan).RetryAfterSeconds);
    }

    [Fact]
    public void Publishers_have_separate_buckets()
    {
        var limiter = new UsageLimiter(new FakeTimeProvider(Wednesday));
        var plan = new UsagePlan(1, 1);

        Assert.True(limiter.TryConsume("a", plan).IsAllowed);
        Assert.True(limiter.TryConsume("b", plan).IsAllowed);
        Assert.False(limiter.TryConsume("a", plan).IsAllowed);
    }

    [Fact]
    public void A_daily_quota_refuses_until_midnight_utc_then_resets()
    {
        var time = new FakeTimeProvider(Wednesday);
        var limiter = new UsageLimiter(time);
        var plan = new UsagePlan(1000, 1000, new Quota(3, QuotaPeriod.Day));

        Assert.All(Enumerable.Range(0, 3), _ => Assert.True(limiter.TryConsume("p", plan).IsAllowed));
        var refused = limiter.TryConsume("p", plan);

        Assert.False(refused.IsAllowed);
        Assert.Equal(new Quota(3, QuotaPeriod.Day), refused.Quota);
        Assert.Equal(DateTimeOffset.Parse("2024-05-02T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture), refused.ResetsAt);
        Assert.Equal(2, refused.RetryAfterSeconds);

        time.Advance(TimeSpan.FromSeconds(3));
        Assert.True(limiter.TryConsume("p", plan).IsAllowed);
    }

    [Theory]
    [InlineData(QuotaPeriod.Day, "2024-05-01T00:00:00Z", "2024-05-02T00:00:00Z")]
    [InlineData(QuotaPeriod.Week, "2024-04-29T00:00:00Z", "2024-05-06T00:00:00Z")]
    [InlineData(QuotaPeriod.Month, "2024-05-01T00:00:00Z", "2024-06-01T00:00:00Z")]
    public void Quota_periods_are_utc_calendar_days_weeks_from_monday_and_months(QuotaPeriod period, string start, string end)
    {
        Assert.Equal(DateTimeOffset.Parse(start, System.Globalization.CultureInfo.InvariantCulture), UsageLimiter.PeriodStart(period, Wednesday));
        Assert.Equal(DateTimeOffset.Parse(end, System.Globalization.CultureInfo.InvariantCulture), UsageLimiter.PeriodEnd(period, Wednesday));
    }

    [Fact]
    public void Requests_refused_for_rate_do_not_use_up_the_quota()
    {
        var time = new FakeTimeProvider(Wednesday);
        var limiter = new UsageLimiter(time);
        var plan = new UsagePlan(1, 1, new Quota(2, QuotaPeriod.Month));

        Assert.True(limiter.TryConsume("p", plan).IsAllowed);
        Assert.Null(limiter.TryConsume("p", plan).Quota); // rate-limited
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.True(limiter.TryConsume("p", plan).IsAllowed);
        time.Advance(TimeSpan.FromSeconds(1));
        Assert.NotNull(limiter.TryConsume("p", plan).Quota);
    }
}
