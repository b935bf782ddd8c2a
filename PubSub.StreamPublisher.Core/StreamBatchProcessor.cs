using System.Diagnostics;
using PubSub.Aws;
using PubSub.Aws.DynamoDBStreams.Model;
using PubSub.Events;
using PubSub.Routing;
using PubSub.Telemetry;

namespace PubSub.StreamPublisher.Core;

/// <summary>The stream publisher's core: for a batch of stream records, decode each new event,
/// route it, publish it to every matched topic, and dead-letter what cannot be published. It knows
/// nothing of pollers or Lambda; both adapters hand it records.</summary>
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
        var pending = new List<PendingMessage>();
        var accepted = new List<(int Index, EventEnvelope Envelope)>();
        var failed = new SortedSet<int>();
        for (var i = 0; i < records.Count; i++)
        {
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
                if (!await deadLetters.TrySendAsync(failure, cancellationToken))
                {
                    failed.Add(failure.Message.RecordIndex);
                }
            }
        }

        await ArchiveAsync(accepted, failed, cancellationToken);
        return new StreamBatchResult([.. failed.Select(i => records[i].Dynamodb?.SequenceNumber ?? "")]);
    }

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
    /// False when the record could neither be read nor dead-lettered.</summary>
    private async Task<bool> TryPrepareAsync(Record record, int index, List<PendingMessage> pending,
        List<(int Index, EventEnvelope Envelope)> accepted, CancellationToken cancellationToken)
    {
        if (record.EventName != OperationType.Insert)
        {
            metrics.Record("skipped-operation");
            return true; // events are immutable: updates and TTL deletions are not news
        }

        EventEnvelope envelope;
        try
        {
            envelope = EventItem.FromItem(record.Dynamodb?.NewImage ?? throw new FormatException("The record has no NEW_IMAGE."));
        }
        catch (FormatException e)
        {
            metrics.Record("undecodable");
            return await deadLetters.TrySendUndecodableAsync(record, e.Message, cancellationToken);
        }

        if (!string.Equals(envelope.OriginRegion, settings.Region, StringComparison.Ordinal))
        {
            metrics.Record("skipped-replica");
            return true; // a global-table replica: the origin region publishes it
        }

        if (record.Dynamodb?.ApproximateCreationDateTime is { } written)
        {
            metrics.Lag(timeProvider.GetUtcNow() - written);
        }

        accepted.Add((index, envelope));
        var trace = TraceOf(envelope);
        using var activity = PubSubTelemetry.StreamPublisher.StartActivity("route event", ActivityKind.Consumer, trace);
        activity?.SetTag("pubsub.event.id", envelope.Id);
        activity?.SetTag("pubsub.event.type", envelope.Type);
        activity?.SetTag("pubsub.publisher", envelope.Publisher);

        var utf8Body = CloudEventJson.ToUtf8Bytes(envelope);
        var decision = router.Route(utf8Body);
        var body = System.Text.Encoding.UTF8.GetString(utf8Body);

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

        foreach (var topic in decision.Topics)
        {
            pending.Add(new PendingMessage(index, envelope, topic, body, activity?.Context ?? trace));
        }

        return true;
    }

    private static ActivityContext TraceOf(EventEnvelope envelope) =>
        envelope.TraceParent is { } parent && ActivityContext.TryParse(parent, envelope.TraceState, out var context)
            ? context
            : default;

    [LoggerMessage(Level = LogLevel.Information,
        Message = "No route matched event {EventId} of type {EventType} from {Publisher}; sent to {Topic}")]
    private partial void LogUnrouted(string eventId, string eventType, string publisher, string topic);
}

/// <param name="FailedSequenceNumbers">Records to retry, in stream order (empty when all were handled).</param>
public sealed record StreamBatchResult(IReadOnlyList<string> FailedSequenceNumbers)
{
    public bool AllHandled => FailedSequenceNumbers.Count == 0;
}
