namespace PubSub.Webhooks.Delivery;

/// <summary>The breaker's rules as pure functions of a state and a time; <see cref="EndpointCircuits"/> stores the
/// results. A 2xx closes; 429 neither counts nor resets (the receiver is alive and asks for room); 410 disables;
/// everything else, 503 included, is a failure.</summary>
public static class CircuitBreaker
{
    /// <summary>Whether an attempt may go now, and the state after asking (a probe takes the half-open lease).</summary>
    public static (CircuitPermitKind Kind, TimeSpan Wait, CircuitState Next) Admit(CircuitState state, DateTimeOffset now, CircuitBreakerOptions options)
    {
        switch (state.Status)
        {
            case CircuitStatus.Closed:
                return (CircuitPermitKind.Allowed, TimeSpan.Zero, state);
            case CircuitStatus.Disabled:
                return (CircuitPermitKind.Disabled, TimeSpan.Zero, state);
        }

        if (state.Until is { } until && now < until)
        {
            return (CircuitPermitKind.Wait, until - now, state);
        }

        return (CircuitPermitKind.Probe, TimeSpan.Zero, state with { Status = CircuitStatus.HalfOpen, Until = now + options.ProbeLease });
    }

    /// <summary>The state after an attempt's result.</summary>
    public static CircuitState Record(CircuitState state, DeliveryAttempt attempt, DateTimeOffset now, CircuitBreakerOptions options)
    {
        if (state.Status is CircuitStatus.Disabled)
        {
            return state;
        }

        switch (attempt.Outcome)
        {
            case AttemptOutcome.Succeeded:
                return state with { Status = CircuitStatus.Closed, ConsecutiveFailures = 0, FailingSince = null, Until = null };
            case AttemptOutcome.Gone:
                return Disable(state, "410 Gone");
            case AttemptOutcome.Throttled when attempt.StatusCode == 429:
                // Alive but busy: a probe that meets a 429 gives the receiver another open period.
                return state.Status is CircuitStatus.HalfOpen ? state with { Status = CircuitStatus.Open, Until = now + options.OpenPeriod } : state;
        }

        var failingSince = state.FailingSince ?? now;
        var failed = state with { ConsecutiveFailures = state.ConsecutiveFailures + 1, FailingSince = failingSince };
        if (now - failingSince >= options.DisableAfter)
        {
            return Disable(failed, $"failing since {failingSince:O}");
        }

        var opens = state.Status is CircuitStatus.HalfOpen
            || (state.Status is CircuitStatus.Closed && failed.ConsecutiveFailures >= options.FailureThreshold);
        return opens ? failed with { Status = CircuitStatus.Open, Until = now + options.OpenPeriod } : failed;
    }

    public static CircuitState Disable(CircuitState state, string reason) =>
        state with { Status = CircuitStatus.Disabled, Until = null, DisabledReason = reason };

    /// <summary>An operator's enable: closed, with a clean count.</summary>
    public static CircuitState Enable(CircuitState state) =>
        state with { Status = CircuitStatus.Closed, ConsecutiveFailures = 0, FailingSince = null, Until = null, DisabledReason = null };
}
