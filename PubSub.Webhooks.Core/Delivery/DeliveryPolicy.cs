namespace PubSub.Webhooks.Delivery;

/// <summary>Decides the next step after an attempt: the schedule, the receiver's <c>Retry-After</c>, the last
/// attempt. Pure: the caller passes the random number, so a seeded <see cref="Random"/> makes it repeatable.</summary>
public static class DeliveryPolicy
{
    /// <param name="random">A number in [0, 1) for the jitter.</param>
    public static NextStep Decide(DeliveryAttempt attempt, RetrySchedule schedule, double random)
    {
        switch (attempt.Outcome)
        {
            case AttemptOutcome.Succeeded:
                return NextStep.Delete;
            case AttemptOutcome.Gone:
                return NextStep.DisableEndpoint;
        }

        // A throttled attempt counts against the budget like any other: a receiver that answers 429 forever must
        // not keep one event alive forever.
        if (attempt.AttemptNumber >= schedule.MaxAttempts)
        {
            return NextStep.DeadLetter;
        }

        var delay = attempt is { Outcome: AttemptOutcome.Throttled, RetryAfter: { } asked }
            ? schedule.HonourRetryAfter(asked, random)
            : schedule.DelayAfter(attempt.AttemptNumber, random)!.Value;
        return NextStep.RetryIn(delay);
    }

    public static NextStep Decide(DeliveryAttempt attempt, RetrySchedule schedule, Random random) =>
        Decide(attempt, schedule, random.NextDouble());
}
