using Microsoft.Extensions.Time.Testing;
using PubSub.Webhooks.Delivery;

namespace PubSub.UnitTests.Webhooks;

public sealed class EndpointRateLimiterTests
{
    private readonly FakeTimeProvider _time = new();

    private static int Taken(EndpointRateLimiter limiter, string endpoint, double rate, int tries) =>
        Enumerable.Range(0, tries).Count(_ => limiter.TryAcquire(endpoint, rate) == TimeSpan.Zero);

    [Fact]
    public void A_burst_of_one_seconds_worth_goes_and_the_rest_waits()
    {
        var limiter = new EndpointRateLimiter(_time);

        Assert.Equal(50, Taken(limiter, "w1", EndpointRateLimiter.DefaultRate, 80));
        Assert.Equal(TimeSpan.FromMilliseconds(20), limiter.TryAcquire("w1", 50));
    }

    /// <summary>A rate below one a second still delivers, one every 1/rate seconds (the bucket held at most 0.5 tokens
    /// and never admitted anything, found by review).</summary>
    [Fact]
    public void A_rate_below_one_a_second_delivers_one_every_few_seconds()
    {
        var limiter = new EndpointRateLimiter(_time);
        var admitted = 0;

        for (var i = 0; i < 10; i++)
        {
            var wait = limiter.TryAcquire("slow", 0.5);
            if (wait == TimeSpan.Zero)
            {
                admitted++;
            }
            else
            {
                _time.Advance(wait);
            }
        }

        Assert.Equal(5, admitted); // the first at once, then one every two seconds
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Equal(TimeSpan.Zero, limiter.TryAcquire("slow", 0.5));
        Assert.Equal(TimeSpan.FromSeconds(2), limiter.TryAcquire("slow", 0.5));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_rate_that_is_not_a_finite_positive_number_is_refused(double rate)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new EndpointRateLimiter(_time).TryAcquire("e", rate));
    }

    [Fact]
    public void Tokens_come_back_at_the_rate()
    {
        var limiter = new EndpointRateLimiter(_time);
        Taken(limiter, "w1", 10, 10);

        _time.Advance(TimeSpan.FromMilliseconds(350));

        Assert.Equal(3, Taken(limiter, "w1", 10, 10));
    }

    [Fact]
    public void Over_ten_seconds_the_rate_holds()
    {
        var limiter = new EndpointRateLimiter(_time);
        var taken = 0;
        for (var tick = 0; tick < 1000; tick++)
        {
            taken += Taken(limiter, "w1", 50, 5);
            _time.Advance(TimeSpan.FromMilliseconds(10));
        }

        // One second's burst, then 50 a second for the ten seconds.
        Assert.InRange(taken, 500, 550);
    }

    [Fact]
    public void Endpoints_have_their_own_buckets()
    {
        var limiter = new EndpointRateLimiter(_time);
        Taken(limiter, "busy", 5, 100);

        Assert.Equal(5, Taken(limiter, "quiet", 5, 100));
    }

    [Fact]
    public void A_refusal_takes_nothing()
    {
        var limiter = new EndpointRateLimiter(_time);
        Taken(limiter, "w1", 1, 1);
        for (var i = 0; i < 100; i++)
        {
            limiter.TryAcquire("w1", 1);
        }

        _time.Advance(TimeSpan.FromSeconds(1));

        Assert.Equal(TimeSpan.Zero, limiter.TryAcquire("w1", 1));
    }

    [Fact]
    public void An_idle_endpoint_saves_up_one_seconds_burst_and_no_more()
    {
        var limiter = new EndpointRateLimiter(_time);
        Taken(limiter, "w1", 10, 10);

        _time.Advance(TimeSpan.FromMinutes(10));

        Assert.Equal(10, Taken(limiter, "w1", 10, 100));
    }

    [Fact]
    public void Concurrent_takers_never_get_more_than_the_bucket_holds()
    {
        var limiter = new EndpointRateLimiter(_time);
        var taken = 0;

        // Many takers on every core at once, so that a lost update (two takers spending one token) would show.
        Parallel.For(0, 200_000, _ =>
        {
            if (limiter.TryAcquire("w1", 10_000) == TimeSpan.Zero)
            {
                Interlocked.Increment(ref taken);
            }
        });

        Assert.Equal(10_000, taken);
    }
}
