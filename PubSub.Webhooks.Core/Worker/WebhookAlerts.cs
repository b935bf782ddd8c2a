using System.Text.Json;
using PubSub.Events;

namespace PubSub.Webhooks.Worker;

/// <summary>Raises webhook alerts: a warning log always, and on the definition's alerts topic when it has one, as
/// ingestion publishes its own (<see cref="AlertsTopic"/>). A failure to publish is never a failure of the delivery.</summary>
public sealed partial class WebhookAlerts(AlertsTopic alerts, string? alertsTopic, ILogger<WebhookAlerts> logger)
{
    public async Task RaiseAsync(WebhookAlert alert, CancellationToken cancellationToken)
    {
        LogAlert(alert.Kind, alert.Subscription, alert.Reason);
        if (alertsTopic is not null)
        {
            await alerts.PublishAsync(alertsTopic, $"Webhook {alert.Subscription}: {alert.Kind}",
                JsonSerializer.Serialize(alert, WebhookAlertJsonContext.Default.WebhookAlert), alert.Kind, "subscription", alert.Subscription,
                cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook alert {Kind} for subscription {SubscriptionId}: {Reason}")]
    private partial void LogAlert(string kind, string subscriptionId, string reason);
}
