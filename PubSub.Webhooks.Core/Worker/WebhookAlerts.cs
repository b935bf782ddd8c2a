using System.Text.Json;
using Amazon.SimpleNotificationService;
using Amazon.SimpleNotificationService.Model;
using PubSub.Aws;
using PubSub.Aws.SimpleNotificationService;
using PubSub.Events;

namespace PubSub.Webhooks.Worker;

/// <summary>Publishes webhook alerts to the definition's alerts topic, as ingestion publishes its own (JSON body,
/// <c>kind</c> attribute). Without an alerts topic the warning log and the metrics are the alert. A failure to publish
/// is logged, never a failure of the delivery.</summary>
public sealed partial class WebhookAlerts(
    IAmazonSimpleNotificationService sns,
    TopicDirectory topics,
    string? alertsTopic,
    ILogger<WebhookAlerts> logger)
{
    public async Task RaiseAsync(WebhookAlert alert, CancellationToken cancellationToken)
    {
        LogAlert(alert.Kind, alert.Subscription, alert.Reason);
        if (alertsTopic is null)
        {
            return;
        }

        try
        {
            await sns.PublishAsync(new PublishRequest
            {
                TopicArn = await topics.ArnOfAsync(alertsTopic, cancellationToken),
                Subject = $"Webhook {alert.Subscription}: {alert.Kind}",
                Message = JsonSerializer.Serialize(alert, WebhookAlertJsonContext.Default.WebhookAlert),
                MessageAttributes = new()
                {
                    ["kind"] = MessageAttributes.Text(alert.Kind),
                    ["subscription"] = MessageAttributes.Text(alert.Subscription),
                },
            }, cancellationToken);
        }
        catch (Exception e) when (AwsErrors.IsCallFailure(e, cancellationToken) || e is TopicNotFoundException)
        {
            LogPublishFailed(e, alert.Kind, alert.Subscription, alertsTopic);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook alert {Kind} for subscription {SubscriptionId}: {Reason}")]
    private partial void LogAlert(string kind, string subscriptionId, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not publish the webhook alert {Kind} for subscription {SubscriptionId} to topic {Topic}")]
    private partial void LogPublishFailed(Exception exception, string kind, string subscriptionId, string topic);
}
