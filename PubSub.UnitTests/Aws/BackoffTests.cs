using PubSub.Aws;

namespace PubSub.UnitTests.Aws;

public sealed class BackoffTests
{
    [Theory]
    [InlineData(0, 0.0)]
    [InlineData(0, 0.999999)]
    [InlineData(3, 0.0)]
    [InlineData(20, 0.5)]
    public void Delays_grow_and_never_vanish(int retry, double random)
    {
        var policy = new Backoff(TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(5));

        var delay = policy.DelayBefore(retry, random);

        var ceiling = Math.Min(5000, 50 * Math.Pow(2, retry));
        Assert.InRange(delay.TotalMilliseconds, Math.Max(1, ceiling / 2), ceiling);
    }

    [Theory]
    [InlineData(16)]
    [InlineData(5000)]
    [InlineData(int.MaxValue)]
    public void Many_failures_wait_the_cap_and_never_overflow(int retry)
    {
        var policy = new Backoff(TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(30));

        Assert.Equal(TimeSpan.FromSeconds(30), policy.Ceiling(retry));
        Assert.InRange(policy.DelayBefore(retry), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30));
    }
}
