using PubSub.Webhooks.Signing;

namespace PubSub.Webhooks.Worker;

/// <summary>Where a webhook subscription's signing secrets live, never in the definition: locally a user-secrets
/// file (generated when missing), in AWS one SSM SecureString parameter per subscription
/// (<see cref="PubSub.Definition.WebhookNames.SecretParameter"/>).</summary>
public interface IWebhookSecretSource
{
    /// <summary>The keys to sign with now (two secrets during a rotation window); throws
    /// <see cref="WebhookSecretMissingException"/> when the subscription has none.</summary>
    ValueTask<WebhookSigningKeys> GetAsync(string subscriptionId, CancellationToken cancellationToken);
}
