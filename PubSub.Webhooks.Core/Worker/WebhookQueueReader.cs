using System.Globalization;
using Amazon.SQS;
using Amazon.SQS.Model;
using PubSub.Definition;

namespace PubSub.Webhooks.Worker;

/// <summary>The local worker's loop over one webhook subscription's queue (plain C# on SQS, so the tests and the local
/// host share it): long-polls, hands each batch to the <see cref="WebhookBatchDeliverer"/>, deletes what is finished.
/// A failed batch is logged and retried after a pause; only cancellation stops it.</summary>
public sealed partial class WebhookQueueReader(
    WebhookBatchDeliverer deliverer,
    IAmazonSQS sqs,
    SystemDefinition definition,
    ILogger<WebhookQueueReader> logger,
    TimeProvider? timeProvider = null)
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan LongestBackoff = TimeSpan.FromSeconds(30);

    private readonly TimeProvider time = timeProvider ?? TimeProvider.System;

    /// <summary>The long poll's wait (SQS allows 0-20 s). Kept under the SQS client's attempt timeout
    /// (<see cref="PubSub.Aws.AwsTimeouts.Attempt"/>, 3 s): a longer wait made every receive on a quiet queue time out,
    /// and a receive given up on after SQS handed it messages hid them for a visibility timeout each time (a fault test
    /// lost a batch that way). Polling each second costs nothing locally; in AWS the event source mapping polls.</summary>
    public int WaitTimeSeconds { get; init; } = (int)PubSub.Aws.AwsTimeouts.Attempt.TotalSeconds - 2;

    /// <summary>Messages per receive (SQS allows 1-10).</summary>
    public int MaxMessages { get; init; } = 10;

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled, then returns (never throws for that).</summary>
    public async Task RunAsync(SubscriptionDefinition subscription, CancellationToken cancellationToken)
    {
        var queue = WebhookNames.Queue(definition, subscription.Id ?? throw new ArgumentException("A webhook subscription has an id.", nameof(subscription)));
        string? queueUrl = null;
        var backoff = FirstBackoff;
        while (!cancellationToken.IsCancellationRequested)
        {
            try
            {
                queueUrl ??= (await sqs.GetQueueUrlAsync(queue, cancellationToken)).QueueUrl;
                await PollOnceAsync(subscription, queueUrl, cancellationToken);
                backoff = FirstBackoff;
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // Whatever failed (SQS, a bug in one batch), the loop goes on: the batch's messages come back after their
                // visibility timeout.
                LogBatchFailed(e, subscription.Id, queue, backoff.TotalSeconds);
                try
                {
                    await Task.Delay(backoff, time, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, LongestBackoff.Ticks));
            }
        }
    }

    private async Task PollOnceAsync(SubscriptionDefinition subscription, string queueUrl, CancellationToken cancellationToken)
    {
        var response = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest
        {
            QueueUrl = queueUrl,
            MaxNumberOfMessages = MaxMessages,
            WaitTimeSeconds = WaitTimeSeconds,
            // Long enough for the whole batch's attempts (sent concurrently, each within its timeout) and their writes.
            VisibilityTimeout = (int)WebhookBatchDeliverer.TimeoutOf(subscription).TotalSeconds + 60,
            MessageSystemAttributeNames = ["ApproximateFirstReceiveTimestamp", "ApproximateReceiveCount"],
            MessageAttributeNames = ["All"],
        }, cancellationToken);
        if (response.Messages is not { Count: > 0 } messages)
        {
            return;
        }

        var deliveries = messages.Select(ToDelivery).ToList();
        var result = await deliverer.DeliverAsync(subscription, queueUrl, deliveries, cancellationToken);
        var keep = result.MessageIdsToKeep.ToHashSet(StringComparer.Ordinal);
        var finished = messages.Where(m => !keep.Contains(m.MessageId)).ToList();
        if (finished.Count == 0)
        {
            return;
        }

        var deleted = await sqs.DeleteMessageBatchAsync(new DeleteMessageBatchRequest(queueUrl,
            [.. finished.Select((m, i) => new DeleteMessageBatchRequestEntry(i.ToString(CultureInfo.InvariantCulture), m.ReceiptHandle))]),
            cancellationToken);
        foreach (var failure in deleted.Failed ?? [])
        {
            // Not deleted: it comes back and is delivered again (receivers deduplicate on webhook-id).
            LogDeleteFailed(subscription.Id!, failure.Code, failure.Message);
        }
    }

    private QueuedDelivery ToDelivery(Message message)
    {
        var system = message.Attributes ?? [];
        var firstReceived = system.TryGetValue("ApproximateFirstReceiveTimestamp", out var first)
                            && long.TryParse(first, NumberStyles.Integer, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : time.GetUtcNow();
        var receiveCount = system.TryGetValue("ApproximateReceiveCount", out var count)
                           && int.TryParse(count, NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : 1;
        var attributes = (message.MessageAttributes ?? [])
            .Where(a => a.Value.StringValue is not null)
            .ToDictionary(a => a.Key, a => a.Value.StringValue, StringComparer.Ordinal);
        return new QueuedDelivery(message.MessageId, message.ReceiptHandle, message.Body ?? "", attributes, firstReceived, receiveCount);
    }

    [LoggerMessage(Level = LogLevel.Error,
        Message = "A batch of webhook subscription {SubscriptionId} (queue {Queue}) failed; polling again in {BackoffSeconds} s")]
    private partial void LogBatchFailed(Exception exception, string? subscriptionId, string queue, double backoffSeconds);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "A finished message of webhook subscription {SubscriptionId} could not be deleted ({Code}: {Reason}); it will be delivered again")]
    private partial void LogDeleteFailed(string subscriptionId, string? code, string? reason);
}
