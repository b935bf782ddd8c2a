using Amazon.SQS;
using Amazon.SQS.Model;
using PubSub.Aws;
using PubSub.DeadLetters;
using PubSub.Events;

namespace PubSub.StreamPublisher.Core;

/// <summary>The publish DLQ: the last stop of an event that could not be published, with its topic
/// and error, so that it can be replayed.</summary>
public interface IPublishDeadLetterQueue
{
    /// <summary>False when the DLQ could not take it either; the caller must then keep the record.</summary>
    Task<bool> TrySendAsync(PublishFailure failure, CancellationToken cancellationToken);

    /// <summary>A record dead-lettered before any topic was chosen (undecodable, unroutable, unknown origin
    /// region); false when the DLQ could not take it.</summary>
    Task<bool> TrySendRecordAsync(RecordFailure failure, CancellationToken cancellationToken);

    /// <summary>An event the archive bucket refused; false when the DLQ could not take it.</summary>
    Task<bool> TrySendArchiveFailureAsync(EventEnvelope envelope, string bucket, string errorCode, string errorMessage,
        CancellationToken cancellationToken);
}

/// <summary>The publish DLQ as an SQS queue; messages carry <c>kind</c>, <c>reason</c>, <c>id</c> and <c>topic</c>
/// attributes. Every body fits SQS (<see cref="DeadLetterMessage.MaxBodyBytes"/>), so that no record can
/// block its shard by being too large for its dead-letter queue.</summary>
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
        var body = DeadLetterMessage.ForPublish(message.Envelope, failure.Reason, message.Topic, failure.TopicArn, failure.ErrorCode,
            failure.ErrorMessage, failure.Attempts, timeProvider.GetUtcNow());
        var sent = await TrySendAsync(body, DeadLetterMessage.PublishKind, failure.Reason, message.Envelope.Id, message.Topic, cancellationToken);
        if (sent)
        {
            metrics.DeadLettered(message.Topic, failure.ErrorCode, failure.Reason);
            LogDeadLettered(message.Envelope.Id, message.Topic, failure.ErrorCode, failure.Attempts);
        }

        return sent;
    }

    public async Task<bool> TrySendRecordAsync(RecordFailure failure, CancellationToken cancellationToken)
    {
        var (body, kind) = failure.Envelope is { } envelope
            ? (DeadLetterMessage.ForEvent(envelope, failure.Reason, failure.ErrorCode, failure.ErrorMessage, timeProvider.GetUtcNow()),
                DeadLetterMessage.EventKind)
            : (DeadLetterMessage.ForUndecodableRecord(failure.Record, failure.ErrorMessage, timeProvider.GetUtcNow()),
                DeadLetterMessage.UndecodableRecordKind);
        var sent = await TrySendAsync(body, kind, failure.Reason, failure.Envelope?.Id ?? "", null, cancellationToken);
        if (sent)
        {
            metrics.DeadLettered("", failure.ErrorCode, failure.Reason);
            LogRecordDeadLettered(failure.Record.Dynamodb?.SequenceNumber, failure.Envelope?.Id, failure.Reason);
        }

        return sent;
    }

    public async Task<bool> TrySendArchiveFailureAsync(EventEnvelope envelope, string bucket, string errorCode, string errorMessage,
        CancellationToken cancellationToken)
    {
        var body = DeadLetterMessage.ForArchive(envelope, bucket, errorCode, errorMessage, timeProvider.GetUtcNow());
        var sent = await TrySendAsync(body, DeadLetterMessage.ArchiveKind, DeadLetterReason.ArchiveFailed, envelope.Id, null, cancellationToken);
        if (sent)
        {
            metrics.DeadLettered("(archive)", errorCode, DeadLetterReason.ArchiveFailed);
            LogArchiveDeadLettered(envelope.Id, bucket, errorCode);
        }

        return sent;
    }

    private async Task<bool> TrySendAsync(string body, string kind, string reason, string id, string? topic,
        CancellationToken cancellationToken)
    {
        var attributes = new Dictionary<string, Amazon.SQS.Model.MessageAttributeValue>
        {
            ["kind"] = new() { DataType = "String", StringValue = kind },
            ["reason"] = new() { DataType = "String", StringValue = reason },
        };

        // The id is the publisher's: left out when SQS would refuse it (the body holds it, escaped).
        if (id.Length is > 0 and <= 1024 && SnsMessageCheck.IsXmlText(id))
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

    [LoggerMessage(Level = LogLevel.Error, Message = "Stream record {SequenceNumber} (event {EventId}) sent to the publish DLQ as {Reason}")]
    private partial void LogRecordDeadLettered(string? sequenceNumber, string? eventId, string reason);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Event {EventId} could not be archived to bucket {Bucket} ({ErrorCode}); sent to the publish DLQ")]
    private partial void LogArchiveDeadLettered(string eventId, string bucket, string errorCode);

    [LoggerMessage(Level = LogLevel.Error, Message = "The publish DLQ refused {EventId} too; the record will be retried")]
    private partial void LogDeadLetterFailed(Exception exception, string eventId);
}
