using PubSub.Webhooks.Delivery;

namespace PubSub.UnitTests.Webhooks;

public sealed class RetryScheduleTests
{
    private static readonly TimeSpan[] Written =
    [
        TimeSpan.Zero, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2),
        TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10), TimeSpan.FromHours(10), TimeSpan.FromHours(10),
    ];

    [Fact]
    public void The_default_is_the_issues_ten_attempts_over_about_47_hours()
    {
        var schedule = RetrySchedule.Default;

        Assert.Equal(Written, schedule.Delays);
        Assert.Equal(10, schedule.MaxAttempts);
        Assert.Equal(new TimeSpan(47, 35, 5), schedule.Total);
    }

    [Theory]
    [InlineData(1, 0.0, 5.0)]
    [InlineData(1, 0.999999, 5.5)]
    [InlineData(2, 0.5, 315.0)]
    [InlineData(9, 0.999999, 39600.0)]
    public void A_delay_is_never_early_and_at_most_a_tenth_late(int attempt, double random, double atMostSeconds)
    {
        var delay = RetrySchedule.Default.DelayAfter(attempt, random)!.Value;

        Assert.InRange(delay, Written[attempt], TimeSpan.FromSeconds(atMostSeconds));
    }

    [Fact]
    public void After_the_last_attempt_there_is_no_delay()
    {
        Assert.Null(RetrySchedule.Default.DelayAfter(10, 0.5));
        Assert.Null(RetrySchedule.Default.DelayAfter(0, 0.5));
    }

    [Fact]
    public void A_seeded_random_repeats_the_same_delays()
    {
        var first = Enumerable.Range(1, 9).Select(a => RetrySchedule.Default.DelayAfter(a, new Random(7 * a).NextDouble())).ToList();
        var second = Enumerable.Range(1, 9).Select(a => RetrySchedule.Default.DelayAfter(a, new Random(7 * a).NextDouble())).ToList();

        Assert.Equal(first, second);
    }

    [Fact]
    public void Every_delay_the_default_can_produce_fits_one_visibility_change_and_the_whole_fits_the_retention()
    {
        var longest = Enumerable.Range(1, 9).Select(a => RetrySchedule.Default.DelayAfter(a, 0.999999)!.Value).ToList();

        Assert.All(longest, d => Assert.True(d < TimeSpan.FromHours(12), d.ToString()));
        Assert.True(longest.Aggregate(TimeSpan.Zero, (s, d) => s + d) < TimeSpan.FromDays(14));
        Assert.True(RetrySchedule.Default.HonourRetryAfter(TimeSpan.FromDays(3), 0.999999) < TimeSpan.FromHours(12));
    }

    [Theory]
    [InlineData(11.5, 0.0)]
    [InlineData(10.5, 0.1)]
    public void A_schedule_whose_delay_would_not_fit_one_visibility_change_is_refused(double hours, double jitter)
    {
        Assert.Throws<ArgumentException>(() => new RetrySchedule([TimeSpan.Zero, TimeSpan.FromHours(hours)], jitter, TimeSpan.FromHours(1)));
    }

    [Fact]
    public void A_schedule_longer_than_the_retention_allows_is_refused()
    {
        var thirty = Enumerable.Repeat(TimeSpan.FromHours(10), 30).ToArray();

        Assert.Throws<ArgumentException>(() => new RetrySchedule(thirty, 0, TimeSpan.FromHours(1)));
    }

    [Fact]
    public void A_configured_schedule_is_taken_as_written()
    {
        var schedule = new RetrySchedule([TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2)], 0, TimeSpan.FromMinutes(1));

        Assert.Equal(3, schedule.MaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(2), schedule.DelayAfter(2, 0.9));
    }

    [Theory]
    [InlineData(0.0, 1.0)]
    [InlineData(1.0, 1.0)]
    [InlineData(120.0, 120.0)]
    [InlineData(86400.0, 36000.0)]
    public void Retry_after_is_honoured_between_one_second_and_the_cap(double askedSeconds, double expectedSeconds)
    {
        var honoured = RetrySchedule.Default.HonourRetryAfter(TimeSpan.FromSeconds(askedSeconds), 0);

        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), honoured);
    }
}
