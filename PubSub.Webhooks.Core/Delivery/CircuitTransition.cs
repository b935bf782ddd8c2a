namespace PubSub.Webhooks.Delivery;

/// <summary>A change of an endpoint's circuit, for the log, the alert (to open or disabled) and the list.</summary>
public sealed record CircuitTransition(string EndpointId, CircuitStatus From, CircuitStatus To, CircuitState State)
{
    /// <summary>Worth an alert: the circuit opened or the endpoint was disabled.</summary>
    public bool Alerts => To is CircuitStatus.Disabled || (To is CircuitStatus.Open && From is CircuitStatus.Closed);
}
