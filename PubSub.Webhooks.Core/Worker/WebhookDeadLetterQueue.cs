using System.Collections.Concurrent;
using Amazon.SQS;
using Amazon.SQS.Model;
using PubSub.Aws;
using PubSub.DeadLetters;
using PubSub.Definition;

namespace PubSub.Webhooks.Worker;

/// <summary>A webhook subscription's dead-letter queue (<see cref="WebhookNames.DeadLetterQueue"/>), in the system's
/// dead-letter format (<see cref="DeadLetterMessage.ForWebhook"/>, attributes <c>kind</c>, <c>reason</c>,
/// <c>subscription</c>, and <c>id</c> and <c>publisher</c> when SQS takes them), so <c>pubsub dlq</c> lists it.</summary>
public sealed partial class WebhookDeadLetterQueue(
    IAmazonSQS sqs,
    SystemDefinition definition,
    WebhookDeliveryMetrics metrics,
    TimeProvider timeProvider,
    ILogger<WebhookDeadLetterQueue> logger)
{
    private readonly ConcurrentDictionary<string, string> _queueUrls = new(StringComparer.Ordinal);

    /// <summary>False when the DLQ could not take it; the caller must then keep the message.</summary>
    public async Task<bool> TrySendAsync(SubscriptionDefinition subscription, QueuedDelivery message, string? publisher, string? eventId,
        string reason, string errorCode, string errorMessage, int attempts, CancellationToken cancellationToken)
    {
        var id = subscription.Id!;
        var body = DeadLetterMessage.ForWebhook(id, subscription.Topic, subscription.Endpoint, reason, publisher, eventId, message.Body,
            errorCode, errorMessage, attempts, timeProvider.GetUtcNow());
        var attributes = new Dictionary<string, MessageAttributeValue>
        {
            ["kind"] = Text(DeadLetterMessage.WebhookKind),
            ["reason"] = Text(reason),
            ["subscription"] = Text(id),
        };
        if (eventId is not null && IsPlainAttribute(eventId))
        {
            attributes["id"] = Text(eventId);
        }

        if (publisher is not null && IsPlainAttribute(publisher))
        {
            attributes["publisher"] = Text(publisher);
        }

        try
        {
            if (!_queueUrls.TryGetValue(id, out var queueUrl))
            {
                queueUrl = (await sqs.GetQueueUrlAsync(WebhookNames.DeadLetterQueue(definition, id), cancellationToken)).QueueUrl;
                _queueUrls[id] = queueUrl;
            }

            await sqs.SendMessageAsync(new SendMessageRequest { QueueUrl = queueUrl, MessageBody = body, MessageAttributes = attributes },
                cancellationToken);
        }
        catch (Exception e) when (AwsErrors.IsCallFailure(e, cancellationToken))
        {
            LogFailed(e, id, eventId);
            return false;
        }

        metrics.DeadLettered(id, reason);
        LogDeadLettered(id, publisher, eventId, reason, errorCode);
        return true;
    }

    /// <summary>Printable ASCII within SQS's attribute limit: anything else stays in the body only (escaped).</summary>
    private static bool IsPlainAttribute(string value) => value.Length is > 0 and <= 1024 && value.All(c => c is >= ' ' and <= '~');

    private static MessageAttributeValue Text(string value) => new() { DataType = "String", StringValue = value };

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Webhook subscription {SubscriptionId}: event {Publisher}/{EventId} sent to its DLQ ({Reason}, {ErrorCode})")]
    private partial void LogDeadLettered(string subscriptionId, string? publisher, string? eventId, string reason, string errorCode);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "Webhook subscription {SubscriptionId}: its DLQ refused event {EventId}; the message stays on the queue")]
    private partial void LogFailed(Exception exception, string subscriptionId, string? eventId);
}
