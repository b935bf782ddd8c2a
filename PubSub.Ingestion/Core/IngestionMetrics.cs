using System.Diagnostics.Metrics;
using PubSub.Telemetry;

namespace PubSub.Ingestion.Core;

/// <summary>Counts every request's outcome by publisher (and, when refused, by reason).</summary>
public sealed class IngestionMetrics
{
    private readonly Counter<long> _events;

    public IngestionMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(PubSubTelemetry.IngestionName);
        _events = meter.CreateCounter<long>("pubsub.ingestion.events", "{event}",
            "Events received, by outcome (accepted, duplicate, rejected), publisher and reason");
    }

    public void Record(string outcome, string publisher, string? reason = null) =>
        _events.Add(1,
            new KeyValuePair<string, object?>("outcome", outcome),
            new KeyValuePair<string, object?>("publisher", publisher),
            new KeyValuePair<string, object?>("reason", reason));
}
