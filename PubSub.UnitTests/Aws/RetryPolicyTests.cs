using PubSub.Aws;

namespace PubSub.UnitTests.Aws;

public sealed class RetryPolicyTests
{
    [Theory]
    [InlineData(0, 0.0)]
    [InlineData(0, 0.999999)]
    [InlineData(3, 0.0)]
    [InlineData(20, 0.5)]
    public void Delays_grow_and_never_vanish(int retry, double random)
    {
        var policy = new RetryPolicy(3, TimeSpan.FromMilliseconds(50), TimeSpan.FromSeconds(5));

        var delay = policy.DelayBefore(retry, random);

        var ceiling = Math.Min(5000, 50 * Math.Pow(2, retry));
        Assert.InRange(delay.TotalMilliseconds, Math.Max(1, ceiling / 2), ceiling);
    }
}
