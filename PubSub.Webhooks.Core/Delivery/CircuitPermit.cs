namespace PubSub.Webhooks.Delivery;

/// <summary>What the circuit lets through.</summary>
public enum CircuitPermitKind
{
    /// <summary>Closed: attempt.</summary>
    Allowed,

    /// <summary>Half-open and this one is the probe: attempt; its result closes or reopens the circuit.</summary>
    Probe,

    /// <summary>Open, or half-open with a probe on its way: no attempt, not a failure; hide the message for
    /// <see cref="CircuitPermit.Wait"/>.</summary>
    Wait,

    /// <summary>Disabled: no attempt; dead-letter the message (replayable once the endpoint is enabled).</summary>
    Disabled,
}

/// <param name="Wait">For <see cref="CircuitPermitKind.Wait"/>: until the circuit may let a probe through.</param>
/// <param name="Transition">The change this admission made (open to half-open), if any.</param>
public sealed record CircuitPermit(CircuitPermitKind Kind, TimeSpan Wait, CircuitTransition? Transition)
{
    public bool MayAttempt => Kind is CircuitPermitKind.Allowed or CircuitPermitKind.Probe;
}
