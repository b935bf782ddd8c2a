namespace PubSub.Webhooks.Delivery;

/// <summary>Where an endpoint's circuit stands.</summary>
public enum CircuitStatus
{
    /// <summary>Deliveries go through.</summary>
    Closed,

    /// <summary>Too many consecutive failures: nothing goes through until <see cref="CircuitState.Until"/>.</summary>
    Open,

    /// <summary>One probe is on its way; the others wait for its answer (or for its lease to end).</summary>
    HalfOpen,

    /// <summary>410 Gone, five days of failures or an operator: nothing goes until someone enables it again.</summary>
    Disabled,
}

/// <summary>One endpoint's circuit, as the state store keeps it.</summary>
/// <param name="ConsecutiveFailures">Failed attempts since the last success.</param>
/// <param name="FailingSince">When the current run of failures began (null after a success).</param>
/// <param name="Until">Open: when a probe may go. HalfOpen: when the probe's lease ends (its worker may have died).</param>
/// <param name="DisabledReason">Why it is disabled (a short text for the alert and <c>webhooks list</c>).</param>
/// <param name="Version">Bumped on each change; the store replaces a state only if it is still the one read.</param>
public sealed record CircuitState(
    CircuitStatus Status,
    int ConsecutiveFailures,
    DateTimeOffset? FailingSince,
    DateTimeOffset? Until,
    string? DisabledReason,
    long Version)
{
    /// <summary>A new endpoint's circuit (version 0: not stored yet).</summary>
    public static CircuitState Initial { get; } = new(CircuitStatus.Closed, 0, null, null, null, 0);

    /// <summary>The <c>state</c> of <c>pubsub webhooks list</c>: <c>enabled</c>, <c>disabled</c> or
    /// <c>open-circuit</c> (open or probing).</summary>
    public string ListState => Status switch
    {
        CircuitStatus.Disabled => "disabled",
        CircuitStatus.Open or CircuitStatus.HalfOpen => "open-circuit",
        _ => "enabled",
    };
}
