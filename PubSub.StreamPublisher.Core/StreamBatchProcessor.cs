using System.Diagnostics;
using PubSub.Aws;
using Amazon.DynamoDBStreams;
using Amazon.DynamoDBStreams.Model;
using PubSub.DeadLetters;
using PubSub.Events;
using PubSub.Routing;
using PubSub.Telemetry;

namespace PubSub.StreamPublisher.Core;

/// <summary>The stream publisher's core: for a batch of stream records, decode each new event,
/// route it, publish it to every matched topic, and dead-letter what cannot be published. It knows
/// nothing of pollers or Lambda; both adapters hand it records. A failure of one record is that
/// record's: it is dead-lettered with a <see cref="DeadLetterReason"/> and the others go on.</summary>
public sealed partial class StreamBatchProcessor(
    EventRouter router,
    TopicPublisher publisher,
    IPublishDeadLetterQueue deadLetters,
    IEventArchive archive,
    PublisherSettings settings,
    StreamPublisherMetrics metrics,
    TimeProvider timeProvider,
    ILogger<StreamBatchProcessor> logger)
{
    /// <summary>Handles every record. A record counts as handled when it was published or
    /// dead-lettered; the sequence numbers of the others are returned, in order, to be retried.</summary>
    public async Task<StreamBatchResult> ProcessAsync(IReadOnlyList<Record> records, CancellationToken cancellationToken)
    {
        metrics.BatchSize(records.Count);
        var pending = new List<PendingMessage>();
        var accepted = new List<(int Index, EventEnvelope Envelope)>();
        var failed = new SortedSet<int>();
        for (var i = 0; i < records.Count; i++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (!await TryPrepareAsync(records[i], i, pending, accepted, cancellationToken))
            {
                failed.Add(i);
            }
        }

        foreach (var topic in pending.GroupBy(m => m.Topic, StringComparer.Ordinal))
        {
            var failures = await publisher.PublishAsync(topic.Key, [.. topic], cancellationToken);
            foreach (var failure in failures)
            {
                if (!await DeadLetterAsync(failure, cancellationToken))
                {
                    failed.Add(failure.Message.RecordIndex);
                }
            }
        }

        await ArchiveAsync(accepted, failed, cancellationToken);
        return new StreamBatchResult([.. failed.Select(i => records[i].Dynamodb?.SequenceNumber ?? "")]);
    }

    /// <summary>Dead-letters a record the caller could not get through this processor at all (an unexpected
    /// failure of its whole batch, isolated to this one record). False when the DLQ could not take it.</summary>
    public Task<bool> DeadLetterAsync(Record record, Exception error, CancellationToken cancellationToken) =>
        DeadLetterAsync(new RecordFailure(DeadLetterReason.ProcessingFailed, record, TryDecode(record, out var envelope, out _) ? envelope : null,
            error.GetType().Name, error.Message), cancellationToken);

    /// <summary>One archive object per publisher; what the bucket refuses goes to the publish DLQ.</summary>
    private async Task ArchiveAsync(List<(int Index, EventEnvelope Envelope)> accepted, SortedSet<int> failed,
        CancellationToken cancellationToken)
    {
        foreach (var group in accepted.GroupBy(a => a.Envelope.Publisher, StringComparer.Ordinal))
        {
            try
            {
                await archive.ArchiveAsync(group.Key, [.. group.Select(a => a.Envelope)], cancellationToken);
            }
            catch (Exception e) when (AwsErrors.IsCallFailure(e, cancellationToken))
            {
                foreach (var (index, envelope) in group)
                {
                    if (!await deadLetters.TrySendArchiveFailureAsync(envelope, archive.Bucket, AwsErrors.CodeOf(e), e.Message, cancellationToken))
                    {
                        failed.Add(index);
                    }
                }
            }
        }
    }

    /// <summary>Decodes and routes one record, adding its messages to <paramref name="pending"/>.
    /// False when the record could neither be published nor dead-lettered.</summary>
    private async Task<bool> TryPrepareAsync(Record record, int index, List<PendingMessage> pending,
        List<(int Index, EventEnvelope Envelope)> accepted, CancellationToken cancellationToken)
    {
        if (record.EventName != OperationType.INSERT)
        {
            metrics.Record("skipped-operation");
            return true; // events are immutable: updates and TTL deletions are not news
        }

        if (!TryDecode(record, out var envelope, out var decodeError))
        {
            return await DeadLetterAsync(new RecordFailure(DeadLetterReason.UndecodableRecord, record, null,
                decodeError.GetType().Name, decodeError.Message), cancellationToken);
        }

        if (!string.Equals(envelope.OriginRegion, settings.Region, StringComparison.Ordinal))
        {
            if (settings.IsReplicaRegion(envelope.OriginRegion))
            {
                metrics.Record("skipped-replica");
                return true; // a global-table replica: the origin region publishes it
            }

            // A region no one configured: most likely ingestion and this publisher disagree about the region.
            return await DeadLetterAsync(new RecordFailure(DeadLetterReason.UnknownOriginRegion, record, envelope, "UnknownOriginRegion",
                $"The event's origin region '{envelope.OriginRegion}' is neither this region ('{settings.Region}') nor a replica region."),
                cancellationToken);
        }

        if (record.Dynamodb?.ApproximateCreationDateTime is { } written)
        {
            metrics.Lag(timeProvider.GetUtcNow() - written);
        }

        var trace = TraceOf(envelope);
        using var activity = PubSubTelemetry.StreamPublisher.StartActivity("route event", ActivityKind.Consumer, trace);
        activity?.SetTag("pubsub.event.id", envelope.Id);
        activity?.SetTag("pubsub.event.type", envelope.Type);
        activity?.SetTag("pubsub.publisher", envelope.Publisher);

        RoutingDecision decision;
        string body;
        try
        {
            var utf8Body = CloudEventJson.ToUtf8Bytes(envelope);
            decision = router.Route(utf8Body);
            body = System.Text.Encoding.UTF8.GetString(utf8Body);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.GetType().Name);
            return await DeadLetterAsync(new RecordFailure(DeadLetterReason.Unroutable, record, envelope, e.GetType().Name, e.Message),
                cancellationToken);
        }

        accepted.Add((index, envelope));
        activity?.SetTag("pubsub.routes", string.Join(',', decision.MatchedRoutes));
        metrics.Record(decision.Unrouted ? "unrouted" : "routed");
        foreach (var route in decision.MatchedRoutes)
        {
            metrics.Routed(route);
        }

        if (decision.Unrouted)
        {
            LogUnrouted(envelope.Id, envelope.Type, envelope.Publisher, decision.Topics.Count > 0 ? decision.Topics[0] : "(none)");
        }

        var messages = decision.Topics.Select(topic => new PendingMessage(index, envelope, topic, body, activity?.Context ?? trace)).ToList();
        if (messages.Count > 0 && SnsMessageCheck.Problem(messages[0]) is { } problem)
        {
            // The same body and attributes go to every topic: SNS would refuse each of them.
            var handled = true;
            foreach (var message in messages)
            {
                handled &= await DeadLetterAsync(new PublishFailure(message, null, problem.Code, problem.Message, 0, Permanent: true),
                    cancellationToken);
            }

            return handled;
        }

        pending.AddRange(messages);
        return true;
    }

    private async Task<bool> DeadLetterAsync(RecordFailure failure, CancellationToken cancellationToken)
    {
        metrics.Record(failure.Reason);
        LogRecordFailed(failure.Reason, failure.Record.Dynamodb?.SequenceNumber, failure.Envelope?.Id, failure.Envelope?.Publisher,
            failure.Envelope?.Type, failure.ErrorCode);
        return await deadLetters.TrySendRecordAsync(failure, cancellationToken);
    }

    private async Task<bool> DeadLetterAsync(PublishFailure failure, CancellationToken cancellationToken)
    {
        if (failure.Permanent)
        {
            metrics.Record(failure.Reason);
            LogRecordFailed(failure.Reason, null, failure.Message.Envelope.Id, failure.Message.Envelope.Publisher,
                failure.Message.Envelope.Type, failure.ErrorCode);
        }

        return await deadLetters.TrySendAsync(failure, cancellationToken);
    }

    private static bool TryDecode(Record record, out EventEnvelope envelope, out Exception error)
    {
        try
        {
            envelope = EventItem.FromItem(record.Dynamodb?.NewImage ?? throw new FormatException("The record has no NEW_IMAGE."));
            error = null!;
            return true;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            envelope = null!;
            error = e;
            return false;
        }
    }

    private static ActivityContext TraceOf(EventEnvelope envelope) =>
        envelope.TraceParent is { } parent && ActivityContext.TryParse(parent, envelope.TraceState, out var context)
            ? context
            : default;

    [LoggerMessage(Level = LogLevel.Information,
        Message = "No route matched event {EventId} of type {EventType} from {Publisher}; sent to {Topic}")]
    private partial void LogUnrouted(string eventId, string eventType, string publisher, string topic);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "Record {SequenceNumber} (event {EventId} from {Publisher}, type {EventType}) is dead-lettered as {Reason} ({ErrorCode})")]
    private partial void LogRecordFailed(string reason, string? sequenceNumber, string? eventId, string? publisher, string? eventType,
        string errorCode);
}

/// <param name="FailedSequenceNumbers">Records to retry, in stream order (empty when all were handled).</param>
public sealed record StreamBatchResult(IReadOnlyList<string> FailedSequenceNumbers)
{
    public bool AllHandled => FailedSequenceNumbers.Count == 0;
}
