namespace PubSub.Webhooks.Delivery;

/// <summary>When an endpoint's circuit opens, how long it stays open, and when a failing endpoint is given up.</summary>
/// <param name="FailureThreshold">Consecutive failed attempts that open the circuit.</param>
/// <param name="OpenPeriod">How long an open circuit lets nothing through before one probe.</param>
/// <param name="ProbeLease">How long a probe holds the half-open circuit: past it, another probe may go (the first
/// one's worker may have died). Longer than any endpoint's timeout.</param>
/// <param name="DisableAfter">Failing continuously this long (no success in between) disables the endpoint.</param>
public sealed record CircuitBreakerOptions(int FailureThreshold, TimeSpan OpenPeriod, TimeSpan ProbeLease, TimeSpan DisableAfter)
{
    /// <summary>Five failures in a row (with the default schedule, the fifth attempt of one event comes 2.5 h after the
    /// first; with traffic, five events failing at once), a minute open, a two-minute probe lease, five days to
    /// disable.</summary>
    public static CircuitBreakerOptions Default { get; } = new(5, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), TimeSpan.FromDays(5));
}
