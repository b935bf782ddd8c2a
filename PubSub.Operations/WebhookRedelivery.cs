using System.Globalization;
using System.Text;
using Amazon.SQS;
using Amazon.SQS.Model;
using PubSub.DeadLetters;
using PubSub.Events;

namespace PubSub.Operations;

/// <summary>The value of <see cref="MessageAttributes.WebhookSeries"/> for an event redelivered to a webhook subscription:
/// the delivery core's signed mark naming the event's last recorded attempt (the CLI makes it, with the subscription's
/// secret and attempts table, which this project does not reach).</summary>
public delegate ValueTask<string> WebhookSeriesMarker(string subscriptionId, string publisher, string eventId, CancellationToken cancellationToken);

/// <summary>Puts events back on a webhook subscription's queue as SNS's raw delivery puts them there (the CloudEvent as
/// the body, the event's message attributes as SQS attributes, <c>replayed=true</c> as every replay marks them), so the
/// delivery worker takes them as any other: <see cref="ResendAsync"/> one stored event, <see cref="RecoverAsync"/> the
/// subscription's dead letters since a time, <see cref="RequeueAsync"/> one dead letter (<c>pubsub dlq replay</c>). Each
/// carries the series mark (<c>marker</c>): an event whose attempts ended undelivered (exhausted, 410) is
/// attempted again on a new schedule, its attempts numbered on after the last recorded one; a delivered one is not sent again.</summary>
public sealed class WebhookRedelivery(IAmazonSQS sqs, WebhookSeriesMarker marker, TimeProvider timeProvider)
{
    /// <summary>How long a dead letter being looked at stays hidden from another reader.</summary>
    private static readonly TimeSpan Hold = TimeSpan.FromSeconds(30);

    /// <summary>Sends the event to the queue; returns the message id.</summary>
    public async Task<string> ResendAsync(string queueUrl, string subscriptionId, EventEnvelope envelope, CancellationToken cancellationToken)
    {
        var request = await RequestAsync(queueUrl, subscriptionId, envelope, CloudEventJson.ToJson(envelope), cancellationToken);
        return (await sqs.SendMessageAsync(request, cancellationToken)).MessageId;
    }

    /// <summary>Sends a dead letter's event (<paramref name="letter"/>, which holds it) to the queue named
    /// <paramref name="queueName"/> of its subscription.</summary>
    public async Task RequeueAsync(string queueName, string subscriptionId, DeadLetterBody letter, CancellationToken cancellationToken)
    {
        var queueUrl = (await sqs.GetQueueUrlAsync(queueName, cancellationToken)).QueueUrl;
        await sqs.SendMessageAsync(await RequestAsync(queueUrl, subscriptionId, letter.ToEnvelope(), Encoding.UTF8.GetString(letter.Event!),
            cancellationToken), cancellationToken);
    }

    /// <summary>Moves every dead letter of <paramref name="deadLetterQueueUrl"/> that failed at or after
    /// <paramref name="since"/> back to <paramref name="queueUrl"/> (sent first, deleted only then: a crash between the
    /// two sends it twice, which the receivers' deduplication by <c>webhook-id</c> absorbs). Older letters, and those that
    /// hold no event (truncated, or a body that was not a CloudEvent), stay where they are.</summary>
    public async Task<WebhookRecoverReport> RecoverAsync(string deadLetterQueueUrl, string queueUrl, string subscriptionId, DateTimeOffset since,
        int max, CancellationToken cancellationToken)
    {
        var (read, recovered, older) = (0, 0, 0);
        var problems = new List<string>();
        var held = new List<Message>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            while (recovered < max)
            {
                var response = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest
                {
                    QueueUrl = deadLetterQueueUrl,
                    MaxNumberOfMessages = 10,
                    VisibilityTimeout = (int)Hold.TotalSeconds,
                    WaitTimeSeconds = 0,
                    MessageSystemAttributeNames = ["SentTimestamp"],
                }, cancellationToken);
                var fresh = (response.Messages ?? []).Where(m => seen.Add(m.MessageId)).ToList();
                if (fresh.Count == 0)
                {
                    break;
                }

                foreach (var message in fresh)
                {
                    read++;
                    var letter = DeadLetterBody.Read(message.Body);
                    if ((letter.FailedAt ?? SentAt(message) ?? timeProvider.GetUtcNow()) < since)
                    {
                        older++;
                        held.Add(message);
                        continue;
                    }

                    if (letter.Kind != DeadLetterMessage.WebhookKind || letter.Event is null)
                    {
                        problems.Add($"{message.MessageId}: {(letter.Truncated ? "holds only the event's id (too large); pubsub webhooks resend it" : "holds no event")}, left in the DLQ");
                        held.Add(message);
                        continue;
                    }

                    if (recovered >= max)
                    {
                        held.Add(message);
                        continue;
                    }

                    var envelope = letter.ToEnvelope();
                    await sqs.SendMessageAsync(await RequestAsync(queueUrl, subscriptionId, envelope, Encoding.UTF8.GetString(letter.Event),
                        cancellationToken), cancellationToken);
                    await sqs.DeleteMessageAsync(deadLetterQueueUrl, message.ReceiptHandle, cancellationToken);
                    recovered++;
                }
            }
        }
        finally
        {
            foreach (var message in held)
            {
                try
                {
                    await sqs.ChangeMessageVisibilityAsync(deadLetterQueueUrl, message.ReceiptHandle, 0, CancellationToken.None);
                }
                catch (Exception e) when (e is AmazonSQSException or ReceiptHandleIsInvalidException)
                {
                    // it becomes visible again when its hold ends anyway
                }
            }
        }

        return new WebhookRecoverReport(read, recovered, older, problems);
    }

    /// <summary>The message SNS's raw delivery would have queued for the event, and the series mark.</summary>
    private async Task<SendMessageRequest> RequestAsync(string queueUrl, string subscriptionId, EventEnvelope envelope, string body,
        CancellationToken cancellationToken)
    {
        var attributes = MessageAttributes.For(envelope, replayed: true).ToDictionary(a => a.Key,
            a => new MessageAttributeValue { DataType = a.Value.DataType, StringValue = a.Value.StringValue, BinaryValue = a.Value.BinaryValue },
            StringComparer.Ordinal);
        attributes[MessageAttributes.WebhookSeries] = new MessageAttributeValue
        {
            DataType = "String",
            StringValue = await marker(subscriptionId, envelope.Publisher, envelope.Id, cancellationToken),
        };
        return new SendMessageRequest { QueueUrl = queueUrl, MessageBody = body, MessageAttributes = attributes };
    }

    private static DateTimeOffset? SentAt(Message message) =>
        message.Attributes is { } attributes && attributes.TryGetValue("SentTimestamp", out var millis)
        && long.TryParse(millis, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : null;
}

/// <param name="Read">Dead letters looked at.</param>
/// <param name="Recovered">Sent back to the subscription's queue (and deleted from its DLQ).</param>
/// <param name="Older">Failed before the time asked for; left in the DLQ.</param>
/// <param name="Problems">Letters left in the DLQ for another reason, one line each.</param>
public sealed record WebhookRecoverReport(int Read, int Recovered, int Older, IReadOnlyList<string> Problems);
