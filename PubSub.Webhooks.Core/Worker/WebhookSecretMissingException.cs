namespace PubSub.Webhooks.Worker;

/// <summary>A webhook subscription has no signing secret where the secret source looks; nothing is sent unsigned.</summary>
public sealed class WebhookSecretMissingException(string subscriptionId, string where)
    : Exception($"Webhook subscription '{subscriptionId}' has no signing secret ({where}).")
{
    public string SubscriptionId { get; } = subscriptionId;
}
