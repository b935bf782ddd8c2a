namespace PubSub.Webhooks.Signing;

/// <summary>The three Standard Webhooks headers, lower case as the specification writes them.</summary>
public static class WebhookHeaderNames
{
    /// <summary>The message id: the same on every attempt, so receivers deduplicate on it.</summary>
    public const string Id = "webhook-id";

    /// <summary>The attempt's time, in Unix seconds.</summary>
    public const string Timestamp = "webhook-timestamp";

    /// <summary>Space-separated <c>v1,…</c> (HMAC-SHA256) and <c>v1a,…</c> (Ed25519) signatures.</summary>
    public const string Signature = "webhook-signature";
}
