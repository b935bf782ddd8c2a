using PubSub.Definition;
using PubSub.Webhooks.Delivery;
using PubSub.Webhooks.Signing;

namespace PubSub.Webhooks.Worker;

/// <summary>The webhook delivery core, composed in one place for both adapters (the local worker's
/// <see cref="WebhookQueueReader"/> and the Lambda function).</summary>
public static class WebhookDeliveryCore
{
    /// <summary>One per process: the deliverer owns the HTTP connection pool and the rate limiter's buckets (dispose it
    /// at shutdown).</summary>
    public static WebhookBatchDeliverer Create(WebhookDeliveryCoreOptions options)
    {
        var definition = options.Definition;
        var time = options.Time;
        var loggers = options.Loggers;
        var metrics = new WebhookDeliveryMetrics(options.Meters);
        var endpoints = new DynamoDbCircuitStateStore(options.DynamoDb, WebhookNames.EndpointsTable(definition));
        return new WebhookBatchDeliverer(new WebhookBatchDeliverer.Parts(
            options.Sqs,
            options.Secrets,
            new DynamoDbAttemptLog(options.DynamoDb, WebhookNames.AttemptsTable(definition), TimeSpan.FromDays(definition.Events.RetentionDays)),
            endpoints,
            new EndpointCircuits(endpoints, options.Circuit, time, loggers.CreateLogger<EndpointCircuits>()),
            new EndpointRateLimiter(time),
            new GuardedHttpSender(new GuardedSenderOptions(options.LocalMode), time, loggers.CreateLogger<GuardedHttpSender>(), options.HostResolver),
            new WebhookSigner(time),
            options.Schedule,
            new WebhookDeadLetterQueue(options.Sqs, definition, metrics, time, loggers.CreateLogger<WebhookDeadLetterQueue>()),
            new WebhookAlerts(options.CreateAlertsTopic(), definition.AlertsTopic, loggers.CreateLogger<WebhookAlerts>()),
            metrics,
            new PartitionKeyOrdering(new DynamoDbOrderedKeyStore(options.DynamoDb, WebhookNames.EndpointsTable(definition)), metrics, time,
                loggers.CreateLogger<PartitionKeyOrdering>()),
            time,
            loggers.CreateLogger<WebhookBatchDeliverer>()));
    }
}
