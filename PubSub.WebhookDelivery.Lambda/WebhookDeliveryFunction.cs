using System.Globalization;
using PubSub.Definition;
using PubSub.Functions;
using PubSub.LambdaRuntime;
using PubSub.Webhooks.Worker;

namespace PubSub.WebhookDelivery.Lambda;

/// <summary>The webhook delivery function's Lambda adapter: an SQS event in (each record a message of a webhook
/// subscription's queue), the messages of each queue delivered by the core, and the partial batch response out,
/// naming the messages that stay on their queue (hidden until their next attempt, or to be received again); the
/// event source mapping deletes the rest. A record of a queue no webhook subscription owns is kept and logged,
/// never delivered or deleted.</summary>
/// <param name="deliver">The core's <see cref="WebhookBatchDeliverer.DeliverAsync"/>.</param>
public sealed partial class WebhookDeliveryFunction(
    WebhookDeliveryFunction.DeliverBatch deliver, WebhookQueueDirectory queues, ILogger<WebhookDeliveryFunction> logger, TimeProvider time) : ILambdaHandler
{
    public delegate Task<DeliveryBatchResult> DeliverBatch(SubscriptionDefinition subscription, string queueUrl,
        IReadOnlyList<QueuedDelivery> messages, CancellationToken cancellationToken);

    public async Task<ReadOnlyMemory<byte>> HandleAsync(LambdaInvocation invocation, CancellationToken cancellationToken)
    {
        var sqsEvent = SqsEvent.Deserialize(invocation.Body.Span);
        var keep = new List<string>();
        foreach (var queue in sqsEvent.Records.Where(HasMessageId).GroupBy(r => r.EventSourceArn ?? "", StringComparer.Ordinal))
        {
            var ids = queue.Select(r => r.MessageId!).ToList();
            if (!queues.TryFind(queue.Key, out var subscription, out var queueUrl))
            {
                LogUnknownQueue(queue.Key, ids.Count);
                keep.AddRange(ids);
                continue;
            }

            try
            {
                var result = await deliver(subscription, queueUrl, [.. queue.Select(ToQueuedDelivery)], cancellationToken);
                keep.AddRange(result.MessageIdsToKeep);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                // The core fails messages, not batches; should it throw anyway, this queue's messages are received
                // again and the other queues' results still stand.
                LogBatchFailed(e, subscription.Id!, ids.Count);
                keep.AddRange(ids);
            }
        }

        return PartialBatchResponse.Serialize(keep);
    }

    /// <summary>A record without an id cannot be named in the response (an empty identifier fails the whole batch),
    /// nor deleted by the core: it is left out, and SQS hands it over again.</summary>
    private bool HasMessageId(SqsEventRecord record)
    {
        if (!string.IsNullOrEmpty(record.MessageId))
        {
            return true;
        }

        LogRecordWithoutId(record.EventSourceArn ?? "");
        return false;
    }

    private QueuedDelivery ToQueuedDelivery(SqsEventRecord record)
    {
        var attributes = record.Attributes ?? [];
        var firstReceived = long.TryParse(attributes.GetValueOrDefault("ApproximateFirstReceiveTimestamp"), NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(Math.Min(ms, DateTimeOffset.MaxValue.ToUnixTimeMilliseconds()))
            : time.GetUtcNow();
        var receiveCount = int.TryParse(attributes.GetValueOrDefault("ApproximateReceiveCount"), NumberStyles.None, CultureInfo.InvariantCulture, out var count)
            ? count
            : 1;
        var messageAttributes = (record.MessageAttributes ?? [])
            .Where(a => a.Value?.StringValue is not null)
            .ToDictionary(a => a.Key, a => a.Value!.StringValue!, StringComparer.Ordinal);
        return new QueuedDelivery(record.MessageId!, record.ReceiptHandle ?? "", record.Body ?? "", messageAttributes, firstReceived, receiveCount);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Count} messages from {QueueArn}, which is no webhook subscription's queue in the definition: left on the queue (its event source mapping or the definition is wrong)")]
    private partial void LogUnknownQueue(string queueArn, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Delivering {Count} messages of webhook subscription {SubscriptionId} failed; they stay on the queue")]
    private partial void LogBatchFailed(Exception exception, string subscriptionId, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A record from {QueueArn} has no message id; it is left to SQS to hand over again")]
    private partial void LogRecordWithoutId(string queueArn);
}
