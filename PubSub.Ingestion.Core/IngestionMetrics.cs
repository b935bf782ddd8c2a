using System.Diagnostics;
using System.Diagnostics.Metrics;
using PubSub.Telemetry;

namespace PubSub.Ingestion.Core;

/// <summary>Outcomes by publisher and reason, processing time, dead letters, sensitive data and batch sizes.</summary>
public sealed class IngestionMetrics
{
    private readonly Counter<long> _events;
    private readonly Histogram<double> _duration;
    private readonly Counter<long> _deadLettered;
    private readonly Counter<long> _sensitive;
    private readonly Histogram<long> _batchSize;

    public IngestionMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(PubSubTelemetry.IngestionName);
        _events = meter.CreateCounter<long>("pubsub.ingestion.events", "{event}",
            "Events received, by outcome (accepted, duplicate, rejected), publisher and reason");
        _duration = meter.CreateHistogram<double>("pubsub.ingestion.duration", "s",
            "Time to parse, check and store one event, by outcome");
        _deadLettered = meter.CreateCounter<long>("pubsub.ingestion.dead_lettered", "{event}",
            "Accepted events sent to the ingestion DLQ because the table could not be written");
        _sensitive = meter.CreateCounter<long>("pubsub.ingestion.sensitive", "{finding}",
            "Sensitive data found, by publisher, detector and the policy applied");
        _batchSize = meter.CreateHistogram<long>("pubsub.ingestion.batch.size", "{event}",
            "Events per request that parsed (1 for a single event), by publisher");
    }

    public void Record(string outcome, string publisher, TimeSpan duration, string? reason = null)
    {
        var tags = new TagList { { "outcome", outcome }, { "publisher", publisher }, { "reason", reason } };
        _events.Add(1, tags);
        _duration.Record(duration.TotalSeconds, new TagList { { "outcome", outcome } });
    }

    public void DeadLettered(string publisher) => _deadLettered.Add(1, new KeyValuePair<string, object?>("publisher", publisher));

    public void BatchSize(string publisher, int events) => _batchSize.Record(events, new KeyValuePair<string, object?>("publisher", publisher));

    public void Sensitive(string publisher, string detector, string policy, int count) =>
        _sensitive.Add(count, new TagList { { "publisher", publisher }, { "detector", detector }, { "policy", policy } });
}
