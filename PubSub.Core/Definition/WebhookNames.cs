namespace PubSub.Definition;

/// <summary>The names webhook delivery derives from the definition, in one place for the provisioner,
/// the stack, the delivery worker and the CLI.</summary>
public static class WebhookNames
{
    /// <summary>The queue a webhook subscription's topic delivers to (raw), read by the delivery worker.</summary>
    public static string Queue(SystemDefinition definition, string id) => $"{definition.Name}-webhook-{id}";

    /// <summary>Where a webhook subscription's messages go after the last attempt (or while disabled).</summary>
    public static string DeadLetterQueue(SystemDefinition definition, string id) => $"{Queue(definition, id)}-dlq";

    /// <summary>One item per delivery attempt, with a TTL of the events' retention.</summary>
    public static string AttemptsTable(SystemDefinition definition) => $"{definition.Events.Table}-webhook-attempts";

    /// <summary>One item per webhook subscription: enabled or disabled, its circuit, its consecutive failures.</summary>
    public static string EndpointsTable(SystemDefinition definition) => $"{definition.Events.Table}-webhook-endpoints";

    /// <summary>The SSM SecureString parameter that holds a subscription's signing secrets in AWS.</summary>
    public static string SecretParameter(SystemDefinition definition, string id) => $"/{definition.Name}/webhooks/{id}/secret";
}
