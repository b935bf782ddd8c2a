namespace PubSub.Webhooks.Signing;

/// <summary>Why a delivery was refused (or <see cref="None"/>).</summary>
public enum WebhookVerificationFailure
{
    None,
    MissingHeader,
    OversizedHeader,
    MalformedHeader,
    TimestampTooOld,
    TimestampTooNew,
    NoKeys,
    NoMatchingSignature,
}

/// <summary>The verifier's answer: verified (with the scheme that matched, <c>v1</c> or <c>v1a</c>) or
/// refused with a reason a person can read. Reasons never quote a header value.</summary>
public readonly record struct WebhookVerification(WebhookVerificationFailure Failure, string Reason, string? Scheme)
{
    public bool IsVerified => Failure == WebhookVerificationFailure.None;

    internal static WebhookVerification Verified(string scheme) => new(WebhookVerificationFailure.None, $"verified ({scheme})", scheme);

    internal static WebhookVerification Refused(WebhookVerificationFailure failure, string reason) => new(failure, reason, null);
}
