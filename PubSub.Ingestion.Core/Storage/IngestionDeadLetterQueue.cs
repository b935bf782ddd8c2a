using Amazon.SQS;
using Amazon.SQS.Model;
using PubSub.Aws;
using PubSub.DeadLetters;
using PubSub.Events;

namespace PubSub.Ingestion.Core.Storage;

/// <summary>Where an accepted event goes when the Events table cannot take it: the whole item, to be
/// written back by a replay.</summary>
public interface IIngestionDeadLetterQueue
{
    /// <summary>False when the queue could not take it either.</summary>
    Task<bool> TrySendAsync(EventEnvelope envelope, string errorCode, string errorMessage, CancellationToken cancellationToken);
}

/// <summary>The ingestion DLQ as an SQS queue; messages carry <c>kind</c>, <c>id</c> and <c>publisher</c> attributes.
/// The send ends at the <see cref="CallDeadline"/> (the SQS client does not read it), so that a publisher whose
/// event neither the table nor the queue took still gets its 503 in time.</summary>
public sealed class SqsIngestionDeadLetterQueue(IAmazonSQS sqs, IngestionDeadLetterSettings settings, EventStoreSettings store,
    TimeProvider timeProvider) : IIngestionDeadLetterQueue
{
    private string? _queueUrl = settings.QueueUrl;

    public async Task<bool> TrySendAsync(EventEnvelope envelope, string errorCode, string errorMessage, CancellationToken cancellationToken)
    {
        var body = DeadLetterMessage.ForIngestion(EventItem.ToItem(envelope, store.Retention), store.Table, errorCode, errorMessage,
            timeProvider.GetUtcNow());
        using var budget = TimeBudget.Reserving(TimeSpan.Zero, timeProvider, cancellationToken);
        try
        {
            _queueUrl ??= (await sqs.GetQueueUrlAsync(settings.QueueName, budget.Token)).QueueUrl;
            await sqs.SendMessageAsync(new SendMessageRequest
            {
                QueueUrl = _queueUrl,
                MessageBody = body,
                MessageAttributes = new Dictionary<string, MessageAttributeValue>
                {
                    ["kind"] = new() { DataType = "String", StringValue = DeadLetterMessage.IngestionKind },
                    ["id"] = new() { DataType = "String", StringValue = envelope.Id },
                    ["publisher"] = new() { DataType = "String", StringValue = envelope.Publisher },
                },
            }, budget.Token);
            return true;
        }
        catch (Exception e) when (AwsErrors.IsCallFailure(e, cancellationToken))
        {
            return false;
        }
    }
}

/// <param name="QueueName">The ingestion DLQ's name (from the definition).</param>
/// <param name="QueueUrl">Its URL when known (a deployment passes it); else looked up by name.</param>
public sealed record IngestionDeadLetterSettings(string QueueName, string? QueueUrl = null);
