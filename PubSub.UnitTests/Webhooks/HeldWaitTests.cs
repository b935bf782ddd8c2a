using PubSub.Definition;
using PubSub.Webhooks.Delivery;

namespace PubSub.UnitTests.Webhooks;

/// <summary>A message held back without an attempt (an open circuit) spends a receive each time it comes back; the
/// redrive policy must not end it before its retries could (found by a review: with 100 receives and the circuit's
/// one-minute waits, a dead endpoint's new events were redriven after about 2 h).</summary>
public sealed class HeldWaitTests
{
    [Fact]
    public void A_message_held_by_an_open_circuit_is_not_redriven_before_its_retries_could_end()
    {
        var circuitWait = CircuitBreakerOptions.Default.OpenPeriod;
        var heldAtMost = Enumerable.Range(1, WebhookQueues.MaxReceiveCount)
            .Aggregate(TimeSpan.Zero, (sum, receive) => sum + WebhookQueues.HeldWait(circuitWait, receive));

        Assert.True(heldAtMost >= RetrySchedule.Default.Total * 3,
            $"held at most {heldAtMost.TotalHours:0.0} h before the redrive; the schedule runs {RetrySchedule.Default.Total.TotalHours:0.0} h");
    }

    [Theory]
    [InlineData(60, 1, 60)] // the circuit's time left when that is longer
    [InlineData(5, 1, 10)]
    [InlineData(5, 30, 300)] // growing with the receives
    [InlineData(5, 500, 900)] // at most 15 minutes
    [InlineData(3600, 500, 3600)] // never shorter than asked
    public void The_wait_is_the_longer_of_the_asked_one_and_ten_seconds_a_receive_up_to_15_minutes(int askedSeconds, int receives, int expectedSeconds) =>
        Assert.Equal(TimeSpan.FromSeconds(expectedSeconds), WebhookQueues.HeldWait(TimeSpan.FromSeconds(askedSeconds), receives));
}
