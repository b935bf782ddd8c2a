namespace PubSub.Webhooks.Signing;

/// <summary>The values of the three headers one attempt is sent with (<see cref="WebhookHeaderNames"/>).</summary>
public readonly record struct SignedWebhookHeaders(string Id, string Timestamp, string Signature);
