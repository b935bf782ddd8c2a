namespace PubSub.Webhooks.Delivery;

/// <summary>What one delivery attempt means for the event and the endpoint.</summary>
public enum AttemptOutcome
{
    /// <summary>A 2xx: delivered; delete the message.</summary>
    Succeeded,

    /// <summary>Any other status, a timeout, a refused connection, a TLS error, a redirect (never followed), a refused
    /// address: retry on the schedule.</summary>
    Failed,

    /// <summary>429 or 503: the receiver asked us to wait; retry at its <c>Retry-After</c> (or on the schedule
    /// without one).</summary>
    Throttled,

    /// <summary>410 Gone: the receiver wants no more; disable the endpoint and alert.</summary>
    Gone,
}
