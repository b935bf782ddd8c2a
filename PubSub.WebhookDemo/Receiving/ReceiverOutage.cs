namespace PubSub.WebhookDemo.Receiving;

/// <summary>A pretend outage for trying retries and the circuit breaker by hand: while one is set, every
/// delivery whose signature verifies is answered with its status (and <c>Retry-After</c> when given) instead
/// of being handled. Signatures are still checked first, so a refused delivery stays a 401.</summary>
public sealed class ReceiverOutage(TimeProvider time)
{
    private volatile Outage? _current;

    public Outage? Current => _current;

    /// <summary>Starts (or changes) the outage; null with the reason when the request is not one the demo plays.</summary>
    public Outage? TrySet(OutageRequest request, out string? error)
    {
        if (request.Status is not (>= 400 and <= 599))
        {
            error = "status must be an HTTP error status, 400 to 599 (e.g. 503, 500, 410).";
            return null;
        }

        if (request.RetryAfterSeconds is < 0 or > 3600)
        {
            error = "retryAfterSeconds must be 0 to 3600.";
            return null;
        }

        error = null;
        return _current = new Outage(request.Status, request.RetryAfterSeconds, time.GetUtcNow());
    }

    public void Clear() => _current = null;
}

/// <summary><c>PUT /outage</c>'s body.</summary>
public sealed record OutageRequest(int Status, int? RetryAfterSeconds);

/// <summary>The outage being played, since when.</summary>
public sealed record Outage(int Status, int? RetryAfterSeconds, DateTimeOffset Since);
