using System.Diagnostics;
using PubSub.Definition;
using PubSub.Events;
using PubSub.Ingestion.Core.Alerts;
using PubSub.Ingestion.Core.Answers;
using PubSub.Ingestion.Core.Parsing;
using PubSub.Ingestion.Core.Sensitive;
using PubSub.Ingestion.Core.Storage;
using PubSub.Ingestion.Core.Validation;
using PubSub.Sensitive;

namespace PubSub.Ingestion.Core;

/// <summary>The ingestion function's core: read a request (one event or a batch), and for each event
/// check its schema and sensitive data, then store it idempotently, falling back to the ingestion DLQ.
/// Every 2xx it answers means the event is in the table or in the DLQ. It knows nothing of HTTP hosts
/// or API Gateway; both adapters call it.</summary>
public sealed partial class EventIngestor(
    IEventStore store,
    IIngestionDeadLetterQueue deadLetters,
    IIngestionSettingsSource settingsSource,
    EventStoreSettings storeSettings,
    IAlertSink alerts,
    IngestionMetrics metrics,
    TimeProvider timeProvider,
    ILogger<EventIngestor> logger)
{
    /// <summary>Events of a batch stored at once; DynamoDB has no conditional batch write.</summary>
    private const int BatchParallelism = 16;

    /// <summary>What both adapters send for a request of an authenticated publisher. The checks before the
    /// core proper are made here so that no adapter repeats them: only a publisher the definition names and
    /// enables may publish (in AWS, a disabled publisher's API key stays valid at API Gateway until the stack
    /// is updated), and it is checked before anything about the body, so that a disabled publisher hears one
    /// answer whatever it sends and from either adapter; then a body the adapter could not read is refused,
    /// and a body larger than any batch is not read.</summary>
    public async Task<IngestionAnswer> AnswerAsync(IngestionRequest request, CancellationToken cancellationToken)
    {
        if (settingsSource.Current.Publisher(request.Publisher) is not { Enabled: true })
        {
            return IngestionAnswer.Problem(Problems.PublisherDisabled());
        }

        if (request.Unreadable is { } unreadable)
        {
            return IngestionAnswer.Problem(unreadable);
        }

        if (request.Body.Length > Parsing.EventLimits.MaxBatchBytes)
        {
            return IngestionAnswer.Problem(Problems.PayloadTooLarge(Parsing.EventLimits.MaxEventBytes));
        }

        return IngestionAnswer.From(await IngestAsync(request, cancellationToken));
    }

    public async Task<IngestionResponse> IngestAsync(IngestionRequest request, CancellationToken cancellationToken)
    {
        var settings = settingsSource.Current;
        var policy = settings.PolicyFor(request.Publisher);
        var parsed = EventRequestReader.Read(request, scan: policy != SensitiveDataPolicy.Allow);
        if (parsed.Problem is { } problem)
        {
            var reason = ReasonOf(problem);
            metrics.Record("rejected", request.Publisher, TimeSpan.Zero, reason);
            LogRejected(request.Publisher, null, problem.Status, reason);
            return new IngestionResponse.Refused(problem);
        }

        metrics.BatchSize(request.Publisher, parsed.Events.Count);
        if (!parsed.IsBatch)
        {
            return new IngestionResponse.One(await ProcessAsync(parsed.Events[0], request.Publisher, settings, cancellationToken));
        }

        var results = new IngestionResult[parsed.Events.Count];
        await Parallel.ForAsync(0, results.Length,
            new ParallelOptions { MaxDegreeOfParallelism = BatchParallelism, CancellationToken = cancellationToken },
            async (i, ct) => results[i] = await ProcessAsync(parsed.Events[i], request.Publisher, settings, ct));
        return new IngestionResponse.Batch(results);
    }

    private async Task<IngestionResult> ProcessAsync(ParsedEvent parsed, string publisher, IngestionSettings settings,
        CancellationToken cancellationToken)
    {
        var started = timeProvider.GetTimestamp();
        using var activity = IngestionTrace.StartEvent();
        activity?.SetTag("pubsub.publisher", publisher);
        var result = parsed.Envelope is { } envelope
            ? await AcceptAsync(envelope, parsed.DataFindings, settings, activity, cancellationToken)
            : new IngestionResult.Rejected(parsed.Problem!);
        var elapsed = timeProvider.GetElapsedTime(started);
        switch (result)
        {
            case IngestionResult.Accepted accepted:
                metrics.Record("accepted", publisher, elapsed);
                LogAccepted(publisher, accepted.Id, parsed.Envelope!.Type);
                break;
            case IngestionResult.Duplicate duplicate:
                metrics.Record("duplicate", publisher, elapsed);
                LogDuplicate(publisher, duplicate.Id);
                break;
            case IngestionResult.Rejected rejected:
                var reason = ReasonOf(rejected.Problem);
                metrics.Record("rejected", publisher, elapsed, reason);
                activity?.SetTag("pubsub.rejected", reason);
                LogRejected(publisher, rejected.Id, rejected.Problem.Status, reason);
                break;
        }

        return result;
    }

    private async Task<IngestionResult> AcceptAsync(EventEnvelope parsed, IReadOnlyList<SensitiveFinding>? dataFindings,
        IngestionSettings settings, Activity? activity, CancellationToken cancellationToken)
    {
        // The stream side continues this trace from the context stored with the event: the ingestion's
        // own root, never a context the publisher sent.
        var envelope = parsed with
        {
            ReceivedAt = timeProvider.GetUtcNow(),
            OriginRegion = storeSettings.Region,
            TraceParent = activity?.Id,
            TraceState = activity?.TraceStateString,
            Fingerprint = EventFingerprint.Of(parsed, settings.FingerprintKey),
        };
        activity?.SetTag("pubsub.event.id", envelope.Id);
        activity?.SetTag("pubsub.event.type", envelope.Type);

        if (settings.Publisher(envelope.Publisher) is { Sources: { } sources } publisher && !publisher.AllowsSource(envelope.Source))
        {
            return new IngestionResult.Rejected(Problems.SourceNotAllowed(sources), envelope.Id);
        }

        var schemaErrors = settings.Schemas.Validate(envelope.Type, envelope.Data, envelope.DataBinary is not null);
        if (schemaErrors.Count > 0)
        {
            return new IngestionResult.Rejected(Problems.SchemaViolation(envelope.Type, schemaErrors), envelope.Id);
        }

        var policy = settings.PolicyFor(envelope.Publisher);
        var inspection = SensitiveDataInspector.Inspect(envelope, policy, dataFindings);
        if (inspection.Findings.Count > 0)
        {
            var alert = RaiseSensitiveAlert(inspection, policy);
            if (inspection.Refused)
            {
                return new IngestionResult.Rejected(Problems.SensitiveDataRejected(alert.Detectors, alert.Paths), inspection.SafeId);
            }
        }

        // After redaction (which can grow the event) and with what the system adds: what SNS would be sent.
        var size = DeliverySize.Of(inspection.Envelope);
        if (size > DeliverySize.SnsMessageBytes)
        {
            return new IngestionResult.Rejected(Problems.MessageTooLarge(size, DeliverySize.SnsMessageBytes), envelope.Id);
        }

        return await StoreAsync(inspection.Envelope, cancellationToken);
    }

    private async Task<IngestionResult> StoreAsync(EventEnvelope envelope, CancellationToken cancellationToken)
    {
        StoreResult stored;
        try
        {
            stored = await store.AddAsync(envelope, cancellationToken);
        }
        catch (EventStoreUnavailableException e)
        {
            if (await deadLetters.TrySendAsync(envelope, "StoreUnavailable", e.Message, cancellationToken))
            {
                metrics.DeadLettered(envelope.Publisher);
                LogDeadLettered(e, envelope.Publisher, envelope.Id);
                return new IngestionResult.Accepted(envelope.Id, DeadLettered: true);
            }

            LogStoreAndDeadLetterFailed(e, envelope.Publisher, envelope.Id);
            return new IngestionResult.Rejected(Problems.StoreUnavailable(), envelope.Id);
        }

        if (stored.Created)
        {
            return new IngestionResult.Accepted(envelope.Id);
        }

        return stored.ExistingFingerprint is null || stored.ExistingFingerprint == envelope.Fingerprint
            ? new IngestionResult.Duplicate(envelope.Id)
            : new IngestionResult.Rejected(Problems.IdempotencyConflict(envelope.Id), envelope.Id);
    }

    private SensitiveDataAlert RaiseSensitiveAlert(Inspection inspection, SensitiveDataPolicy policy)
    {
        var e = inspection.Envelope;
        var counts = SensitiveDataInspector.Counts(inspection.Findings);
        var policyName = policy.ToString().ToLowerInvariant();
        foreach (var (detector, count) in counts)
        {
            metrics.Sensitive(e.Publisher, detector, policyName, count);
        }

        var summary = string.Join(", ", counts.Select(c => $"{c.Key} x{c.Value}"));
        LogSensitive(e.Publisher, inspection.SafeId, summary, policyName);
        var alert = SensitiveDataAlert.Of(e.Publisher, inspection.SafeId, inspection.SafeType, policyName, counts,
            inspection.Findings.Select(f => f.Path), timeProvider.GetUtcNow());
        alerts.Raise(alert);
        return alert;
    }

    private static string ReasonOf(Problem problem) => problem.Type[(problem.Type.LastIndexOf(':') + 1)..];

    // Per-event successes are Debug: at thousands of events a second they would drown the rest.
    [LoggerMessage(Level = LogLevel.Debug, Message = "Accepted event {EventId} of type {EventType} from {Publisher}")]
    private partial void LogAccepted(string publisher, string eventId, string eventType);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Event {EventId} from {Publisher} was already stored; answered as a retry")]
    private partial void LogDuplicate(string publisher, string eventId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Refused event {EventId} from {Publisher}: {Status} {Reason}")]
    private partial void LogRejected(string publisher, string? eventId, int status, string reason);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Sensitive data in event {EventId} from {Publisher}: {Detectors}; policy {Policy}")]
    private partial void LogSensitive(string publisher, string eventId, string detectors, string policy);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "The table refused event {EventId} from {Publisher}; it is safe in the ingestion DLQ and answered 202")]
    private partial void LogDeadLettered(Exception exception, string publisher, string eventId);

    [LoggerMessage(Level = LogLevel.Error,
        Message = "Neither the table nor the ingestion DLQ took event {EventId} from {Publisher}; answered 503")]
    private partial void LogStoreAndDeadLetterFailed(Exception exception, string publisher, string eventId);
}
