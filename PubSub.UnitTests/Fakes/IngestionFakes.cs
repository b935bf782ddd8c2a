using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using PubSub.Events;
using PubSub.Ingestion.Core.Alerts;
using PubSub.Ingestion.Core.Storage;

namespace PubSub.UnitTests.Fakes;

/// <summary>An in-memory Events table with DynamoDB's conditional-put semantics.</summary>
internal sealed class FakeEventStore : IEventStore
{
    public ConcurrentDictionary<string, EventEnvelope> Items { get; } = new();

    /// <summary>When true every write fails, as if DynamoDB were down.</summary>
    public bool Down { get; set; }

    public Task<StoreResult> AddAsync(EventEnvelope envelope, CancellationToken cancellationToken)
    {
        if (Down)
        {
            throw new EventStoreUnavailableException("Writing to table t failed (Unreachable): connection refused");
        }

        var key = EventItem.KeyOf(envelope.Publisher, envelope.Id);
        return Task.FromResult(Items.TryAdd(key, envelope) ? StoreResult.New : StoreResult.Existing(Items[key].Fingerprint));
    }
}

internal sealed class FakeIngestionDeadLetterQueue : IIngestionDeadLetterQueue
{
    public ConcurrentQueue<EventEnvelope> Messages { get; } = new();

    public bool Down { get; set; }

    public Task<bool> TrySendAsync(EventEnvelope envelope, string errorCode, string errorMessage, CancellationToken cancellationToken)
    {
        if (!Down)
        {
            Messages.Enqueue(envelope);
        }

        return Task.FromResult(!Down);
    }
}

internal sealed class RecordingAlertSink : IAlertSink
{
    public ConcurrentQueue<SensitiveDataAlert> Alerts { get; } = new();

    public void Raise(SensitiveDataAlert alert) => Alerts.Enqueue(alert);
}

internal sealed class TestMeterFactory : IMeterFactory
{
    private readonly List<Meter> _meters = [];

    public Meter Create(MeterOptions options)
    {
        var meter = new Meter(options);
        _meters.Add(meter);
        return meter;
    }

    public void Dispose() => _meters.ForEach(m => m.Dispose());
}
