namespace PubSub.Webhooks.Delivery;

/// <summary>The one reading of an attempt's result: 2xx delivered, 410 gone, 429 and 503 throttled, everything
/// else (3xx included: redirects are not followed) failed.</summary>
public static class AttemptClassifier
{
    public static AttemptOutcome Classify(int? statusCode, AttemptError error) => (statusCode, error) switch
    {
        (_, not AttemptError.None and not AttemptError.Redirect) => AttemptOutcome.Failed,
        (>= 200 and <= 299, _) => AttemptOutcome.Succeeded,
        (410, _) => AttemptOutcome.Gone,
        (429 or 503, _) => AttemptOutcome.Throttled,
        _ => AttemptOutcome.Failed,
    };

    /// <summary>The error a status alone implies: a 3xx is a redirect we did not follow.</summary>
    public static AttemptError ErrorOf(int statusCode) =>
        statusCode is >= 300 and <= 399 ? AttemptError.Redirect : AttemptError.None;
}
