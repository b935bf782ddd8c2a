using System.Diagnostics;
using PubSub.Telemetry;

namespace PubSub.Ingestion.Core;

/// <summary>The ingestion function's core: parse and validate one request, stamp the event, and
/// store it idempotently. It knows nothing of HTTP hosts or API Gateway; both adapters call it.</summary>
public sealed partial class EventIngestor(
    IEventStore store,
    EventStoreSettings settings,
    IngestionMetrics metrics,
    TimeProvider timeProvider,
    ILogger<EventIngestor> logger)
{
    public async Task<IngestionResult> IngestAsync(IngestionRequest request, CancellationToken cancellationToken)
    {
        using var activity = PubSubTelemetry.Ingestion.StartActivity("ingest event");
        activity?.SetTag("pubsub.publisher", request.Publisher);

        var stamp = new EnvelopeStamp(timeProvider.GetUtcNow(), settings.Region);
        if (!CloudEventParser.TryParse(request, stamp, out var envelope, out var problem))
        {
            return Reject(request.Publisher, problem, activity);
        }

        // The stream side continues this trace from the context stored with the event.
        var context = Activity.Current;
        envelope = envelope with { TraceParent = context?.Id, TraceState = context?.TraceStateString };
        activity?.SetTag("pubsub.event.id", envelope.Id);
        activity?.SetTag("pubsub.event.type", envelope.Type);

        StoreOutcome outcome;
        try
        {
            outcome = await store.AddAsync(envelope, cancellationToken).ConfigureAwait(false);
        }
        catch (EventStoreUnavailableException e)
        {
            LogStoreUnavailable(e, request.Publisher, envelope.Id);
            return Reject(request.Publisher, Problems.StoreUnavailable(), activity);
        }

        if (outcome == StoreOutcome.AlreadyExists)
        {
            metrics.Record("duplicate", request.Publisher);
            LogDuplicate(request.Publisher, envelope.Id);
            return new IngestionResult.Duplicate(envelope.Id);
        }

        metrics.Record("accepted", request.Publisher);
        LogAccepted(request.Publisher, envelope.Id, envelope.Type);
        return new IngestionResult.Accepted(envelope.Id);
    }

    private IngestionResult.Rejected Reject(string publisher, Problem problem, Activity? activity)
    {
        var reason = problem.Type[(problem.Type.LastIndexOf(':') + 1)..];
        metrics.Record("rejected", publisher, reason);
        activity?.SetTag("pubsub.rejected", reason);
        LogRejected(publisher, problem.Status, reason);
        return new IngestionResult.Rejected(problem);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Accepted event {EventId} of type {EventType} from {Publisher}")]
    private partial void LogAccepted(string publisher, string eventId, string eventType);

    [LoggerMessage(Level = LogLevel.Information, Message = "Event {EventId} from {Publisher} was already stored; answered as a retry")]
    private partial void LogDuplicate(string publisher, string eventId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Rejected a request from {Publisher}: {Status} {Reason}")]
    private partial void LogRejected(string publisher, int status, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not store event {EventId} from {Publisher}; answered 503")]
    private partial void LogStoreUnavailable(Exception exception, string publisher, string eventId);
}
