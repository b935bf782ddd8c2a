using Amazon.SQS;
using Amazon.SQS.Model;
using PubSub.Aws;
using PubSub.Aws.DynamoDBStreams.Model;
using PubSub.DeadLetters;
using PubSub.Events;

namespace PubSub.StreamPublisher.Core;

/// <summary>The publish DLQ: the last stop of an event that could not be published, with its topic
/// and error, so that it can be replayed.</summary>
public interface IPublishDeadLetterQueue
{
    /// <summary>False when the DLQ could not take it either; the caller must then keep the record.</summary>
    Task<bool> TrySendAsync(PublishFailure failure, CancellationToken cancellationToken);

    /// <summary>A record that is not an event at all; false when the DLQ could not take it.</summary>
    Task<bool> TrySendUndecodableAsync(Record record, string reason, CancellationToken cancellationToken);

    /// <summary>An event the archive bucket refused; false when the DLQ could not take it.</summary>
    Task<bool> TrySendArchiveFailureAsync(EventEnvelope envelope, string bucket, string errorCode, string errorMessage,
        CancellationToken cancellationToken);
}

/// <summary>The publish DLQ as an SQS queue; messages carry <c>kind</c>, <c>id</c> and <c>topic</c> attributes.</summary>
public sealed partial class PublishDeadLetterQueue(
    IAmazonSQS sqs,
    PublisherSettings settings,
    StreamPublisherMetrics metrics,
    TimeProvider timeProvider,
    ILogger<PublishDeadLetterQueue> logger) : IPublishDeadLetterQueue
{
    private string? _queueUrl;

    public async Task<bool> TrySendAsync(PublishFailure failure, CancellationToken cancellationToken)
    {
        var message = failure.Message;
        var body = DeadLetterMessage.ForPublish(message.Envelope, message.Topic, failure.TopicArn, failure.ErrorCode,
            failure.ErrorMessage, failure.Attempts, timeProvider.GetUtcNow());
        var sent = await TrySendAsync(body, DeadLetterMessage.PublishKind, message.Envelope.Id, message.Topic, cancellationToken);
        if (sent)
        {
            metrics.DeadLettered(message.Topic, failure.ErrorCode);
            LogDeadLettered(message.Envelope.Id, message.Topic, failure.ErrorCode, failure.Attempts);
        }

        return sent;
    }

    public async Task<bool> TrySendUndecodableAsync(Record record, string reason, CancellationToken cancellationToken)
    {
        var body = DeadLetterMessage.ForUndecodableRecord(record, reason, timeProvider.GetUtcNow());
        var sent = await TrySendAsync(body, DeadLetterMessage.UndecodableRecordKind, record.EventId ?? "", null, cancellationToken);
        if (sent)
        {
            metrics.DeadLettered("", "UndecodableRecord");
            LogUndecodable(record.Dynamodb?.SequenceNumber, reason);
        }

        return sent;
    }

    public async Task<bool> TrySendArchiveFailureAsync(EventEnvelope envelope, string bucket, string errorCode, string errorMessage,
        CancellationToken cancellationToken)
    {
        var body = DeadLetterMessage.ForArchive(envelope, bucket, errorCode, errorMessage, timeProvider.GetUtcNow());
        var sent = await TrySendAsync(body, DeadLetterMessage.ArchiveKind, envelope.Id, null, cancellationToken);
        if (sent)
        {
            metrics.DeadLettered("(archive)", errorCode);
            LogArchiveDeadLettered(envelope.Id, bucket, errorCode);
        }

        return sent;
    }

    private async Task<bool> TrySendAsync(string body, string kind, string id, string? topic, CancellationToken cancellationToken)
    {
        var attributes = new Dictionary<string, Amazon.SQS.Model.MessageAttributeValue>
        {
            ["kind"] = new() { DataType = "String", StringValue = kind },
        };
        if (id.Length > 0)
        {
            attributes["id"] = new() { DataType = "String", StringValue = id };
        }

        if (topic is not null)
        {
            attributes["topic"] = new() { DataType = "String", StringValue = topic };
        }

        try
        {
            _queueUrl ??= settings.PublishDeadLetterQueueUrl
                          ?? (await sqs.GetQueueUrlAsync(settings.PublishDeadLetterQueue, cancellationToken)).QueueUrl;
            await sqs.SendMessageAsync(new SendMessageRequest
            {
                QueueUrl = _queueUrl,
                MessageBody = body,
                MessageAttributes = attributes,
            }, cancellationToken);
            return true;
        }
        catch (Exception e) when (AwsErrors.IsCallFailure(e, cancellationToken))
        {
            LogDeadLetterFailed(e, id);
            return false;
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Event {EventId} could not be published to {Topic} ({ErrorCode} after {Attempts} attempts); sent to the publish DLQ")]
    private partial void LogDeadLettered(string eventId, string topic, string errorCode, int attempts);

    [LoggerMessage(Level = LogLevel.Error, Message = "Stream record {SequenceNumber} is not an event ({Error}); sent to the publish DLQ")]
    private partial void LogUndecodable(string? sequenceNumber, string error);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Event {EventId} could not be archived to bucket {Bucket} ({ErrorCode}); sent to the publish DLQ")]
    private partial void LogArchiveDeadLettered(string eventId, string bucket, string errorCode);

    [LoggerMessage(Level = LogLevel.Error, Message = "The publish DLQ refused {EventId} too; the record will be retried")]
    private partial void LogDeadLetterFailed(Exception exception, string eventId);
}
