namespace PubSub.Webhooks.Delivery;

/// <summary>One delivery to send: the body and its headers already built (the <c>webhook-*</c> signature headers
/// among them). The headers are sent and never recorded.</summary>
/// <param name="EventId">The event's id, for the attempt record.</param>
/// <param name="EndpointId">The webhook subscription's id.</param>
/// <param name="Url">The endpoint.</param>
/// <param name="AttemptNumber">1 for the first attempt.</param>
/// <param name="Body">The POST body.</param>
/// <param name="ContentType">The body's media type.</param>
/// <param name="Headers">The other request headers.</param>
/// <param name="Timeout">The endpoint's <c>timeoutSeconds</c>: connect, headers and body together.</param>
public sealed record WebhookRequest(
    string EventId,
    string EndpointId,
    Uri Url,
    int AttemptNumber,
    ReadOnlyMemory<byte> Body,
    string ContentType,
    IReadOnlyList<KeyValuePair<string, string>> Headers,
    TimeSpan Timeout)
{
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    /// <summary>The longest attempt: well inside the circuit breaker's probe lease (2 minutes), so that a slow probe is
    /// never joined by a second one.</summary>
    public static readonly TimeSpan MaxTimeout = TimeSpan.FromSeconds(60);

    public TimeSpan Timeout { get; init; } = Timeout > TimeSpan.Zero && Timeout <= MaxTimeout
        ? Timeout
        : throw new ArgumentOutOfRangeException(nameof(Timeout), Timeout, $"An attempt's timeout is above 0 and at most {MaxTimeout.TotalSeconds:0} s.");
}
