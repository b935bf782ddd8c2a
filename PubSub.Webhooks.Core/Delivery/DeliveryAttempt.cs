namespace PubSub.Webhooks.Delivery;

/// <summary>The record of one attempt, as the attempts table keeps it: no request header and no secret, ever; the
/// answer's body cut to <see cref="ResponseBody.MaxBytes"/>.</summary>
/// <param name="EventId">The event's id (the <c>webhook-id</c> too).</param>
/// <param name="EndpointId">The webhook subscription's id.</param>
/// <param name="EndpointUrl">The URL attempted.</param>
/// <param name="AttemptNumber">1 for the first attempt.</param>
/// <param name="StartedAt">When the request started.</param>
/// <param name="StatusCode">The answer's status, null without an answer.</param>
/// <param name="Error">Why there was no usable answer, or <see cref="AttemptError.None"/>.</param>
/// <param name="Latency">From the start to the answer's (truncated) body read, or to the failure.</param>
/// <param name="ResponseBody">The start of the answer's body (UTF-8, at most 1 KiB), empty without one.</param>
/// <param name="RetryAfter">The wait the receiver asked for with <c>Retry-After</c>, if it did.</param>
/// <param name="ErrorDetail">Why a URL or address was refused (never anything the receiver or the request held).</param>
public sealed record DeliveryAttempt(
    string EventId,
    string EndpointId,
    string EndpointUrl,
    int AttemptNumber,
    DateTimeOffset StartedAt,
    int? StatusCode,
    AttemptError Error,
    TimeSpan Latency,
    string ResponseBody,
    TimeSpan? RetryAfter,
    string? ErrorDetail = null)
{
    public AttemptOutcome Outcome => AttemptClassifier.Classify(StatusCode, Error);
}
