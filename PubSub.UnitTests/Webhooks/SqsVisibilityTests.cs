using PubSub.Webhooks.Delivery;

namespace PubSub.UnitTests.Webhooks;

public sealed class SqsVisibilityTests
{
    private static readonly DateTimeOffset Received = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(0.0, 0.0, 0)]
    [InlineData(5.0, 1.0, 5)]
    [InlineData(4.2, 1.0, 5)]
    [InlineData(39600.0, 16.0, 39600)]
    [InlineData(43200.0, 0.0, 43140)]
    [InlineData(43200.0, 3600.0, 39540)]
    [InlineData(60.0, 43200.0, 0)]
    public void The_wait_rounds_up_to_seconds_and_never_past_twelve_hours_from_the_receipt(double waitSeconds, double elapsedSeconds, int expected)
    {
        var seconds = SqsVisibility.TimeoutSeconds(TimeSpan.FromSeconds(waitSeconds), Received, Received.AddSeconds(elapsedSeconds));

        Assert.Equal(expected, seconds);
        Assert.InRange(seconds, 0, 43200);
    }
}
