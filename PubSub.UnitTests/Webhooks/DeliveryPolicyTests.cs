using PubSub.Webhooks.Delivery;

namespace PubSub.UnitTests.Webhooks;

public sealed class DeliveryPolicyTests
{
    private static DeliveryAttempt Attempt(int number, int? status, AttemptError error = AttemptError.None, TimeSpan? retryAfter = null) =>
        new("e1", "w1", "https://example.com/hook", number, DateTimeOffset.UnixEpoch, status, error, TimeSpan.FromMilliseconds(5), "", retryAfter);

    [Theory]
    [InlineData(200, AttemptError.None, AttemptOutcome.Succeeded)]
    [InlineData(204, AttemptError.None, AttemptOutcome.Succeeded)]
    [InlineData(299, AttemptError.None, AttemptOutcome.Succeeded)]
    [InlineData(410, AttemptError.None, AttemptOutcome.Gone)]
    [InlineData(429, AttemptError.None, AttemptOutcome.Throttled)]
    [InlineData(503, AttemptError.None, AttemptOutcome.Throttled)]
    [InlineData(500, AttemptError.None, AttemptOutcome.Failed)]
    [InlineData(404, AttemptError.None, AttemptOutcome.Failed)]
    [InlineData(400, AttemptError.None, AttemptOutcome.Failed)]
    [InlineData(100, AttemptError.None, AttemptOutcome.Failed)]
    [InlineData(301, AttemptError.Redirect, AttemptOutcome.Failed)]
    [InlineData(302, AttemptError.Redirect, AttemptOutcome.Failed)]
    [InlineData(200, AttemptError.Timeout, AttemptOutcome.Failed)]
    [InlineData(null, AttemptError.Timeout, AttemptOutcome.Failed)]
    [InlineData(null, AttemptError.ConnectionRefused, AttemptOutcome.Failed)]
    [InlineData(null, AttemptError.Tls, AttemptOutcome.Failed)]
    [InlineData(null, AttemptError.ForbiddenAddress, AttemptOutcome.Failed)]
    [InlineData(null, AttemptError.NameResolution, AttemptOutcome.Failed)]
    public void Each_result_is_classified_once(int? status, AttemptError error, AttemptOutcome expected)
    {
        Assert.Equal(expected, AttemptClassifier.Classify(status, error));
    }

    [Theory]
    [InlineData(300, AttemptError.Redirect)]
    [InlineData(307, AttemptError.Redirect)]
    [InlineData(399, AttemptError.Redirect)]
    [InlineData(200, AttemptError.None)]
    [InlineData(400, AttemptError.None)]
    public void A_3xx_is_a_redirect_not_followed(int status, AttemptError expected)
    {
        Assert.Equal(expected, AttemptClassifier.ErrorOf(status));
    }

    [Fact]
    public void A_success_deletes_the_message()
    {
        Assert.Equal(NextStep.Delete, DeliveryPolicy.Decide(Attempt(3, 200), RetrySchedule.Default, 0.5));
    }

    [Fact]
    public void Gone_disables_the_endpoint_even_on_the_last_attempt()
    {
        Assert.Equal(NextStep.DisableEndpoint, DeliveryPolicy.Decide(Attempt(1, 410), RetrySchedule.Default, 0.5));
        Assert.Equal(NextStep.DisableEndpoint, DeliveryPolicy.Decide(Attempt(10, 410), RetrySchedule.Default, 0.5));
    }

    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 300)]
    [InlineData(4, 7200)]
    [InlineData(9, 36000)]
    public void A_failure_retries_on_the_schedule(int attempt, int seconds)
    {
        var step = DeliveryPolicy.Decide(Attempt(attempt, 500), RetrySchedule.Default, 0);

        Assert.Equal(NextStep.RetryIn(TimeSpan.FromSeconds(seconds)), step);
    }

    [Fact]
    public void The_last_attempts_failure_dead_letters_the_message()
    {
        Assert.Equal(NextStep.DeadLetter, DeliveryPolicy.Decide(Attempt(10, null, AttemptError.Timeout), RetrySchedule.Default, 0.5));
        Assert.Equal(NextStep.DeadLetter, DeliveryPolicy.Decide(Attempt(10, 429, retryAfter: TimeSpan.FromSeconds(1)), RetrySchedule.Default, 0.5));
    }

    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    public void Throttled_with_retry_after_waits_what_the_receiver_asked_even_if_shorter_than_the_schedule(int status)
    {
        var step = DeliveryPolicy.Decide(Attempt(2, status, retryAfter: TimeSpan.FromSeconds(1)), RetrySchedule.Default, 0);

        Assert.Equal(NextStep.RetryIn(TimeSpan.FromSeconds(1)), step);
    }

    [Fact]
    public void Throttled_without_retry_after_follows_the_schedule()
    {
        var step = DeliveryPolicy.Decide(Attempt(2, 503), RetrySchedule.Default, 0);

        Assert.Equal(NextStep.RetryIn(TimeSpan.FromMinutes(5)), step);
    }

    [Fact]
    public void Retry_after_on_another_status_is_ignored()
    {
        var step = DeliveryPolicy.Decide(Attempt(1, 500, retryAfter: TimeSpan.FromHours(3)), RetrySchedule.Default, 0);

        Assert.Equal(NextStep.RetryIn(TimeSpan.FromSeconds(5)), step);
    }

    [Fact]
    public void A_seeded_random_makes_the_decisions_repeatable()
    {
        var a = DeliveryPolicy.Decide(Attempt(5, 500), RetrySchedule.Default, new Random(42));
        var b = DeliveryPolicy.Decide(Attempt(5, 500), RetrySchedule.Default, new Random(42));

        Assert.Equal(a, b);
        Assert.InRange(a.Delay, TimeSpan.FromHours(5), TimeSpan.FromHours(5.5));
    }
}
