namespace PubSub.Definition;

/// <summary>The keys of the two webhook tables (<see cref="WebhookNames.AttemptsTable"/>,
/// <see cref="WebhookNames.EndpointsTable"/>), for whoever creates them (the provisioner, the stack) and whoever
/// reads and writes them (the delivery core, the CLI).</summary>
public static class WebhookTables
{
    /// <summary>Attempts: <c>{publisher}#{eventId}</c>.</summary>
    public const string AttemptsPartitionKey = "pk";

    /// <summary>Attempts: <c>{subscriptionId}#{attemptNumber:D4}</c>.</summary>
    public const string AttemptsSortKey = "sk";

    /// <summary>Attempts: the TTL attribute, epoch seconds.</summary>
    public const string ExpiresAt = "expiresAt";

    /// <summary>Endpoints: the subscription id.</summary>
    public const string EndpointsKey = "id";
}
