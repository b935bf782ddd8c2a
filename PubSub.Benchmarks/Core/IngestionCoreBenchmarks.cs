using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Microsoft.Extensions.Logging.Abstractions;
using PubSub.Definition;
using PubSub.Events;
using PubSub.Ingestion.Core;
using PubSub.Ingestion.Core.Alerts;
using PubSub.Ingestion.Core.Parsing;
using PubSub.Ingestion.Core.Storage;
using PubSub.Json;
using PubSub.Sensitive;

namespace PubSub.Benchmarks.Core;

/// <summary>The ingestion core in process: read and validate a structured CloudEvent, check its
/// schema (when its type has one), scan it for sensitive data (the <c>flag</c> policy) and build the
/// table item. Only the network call is left out (the store builds the item and answers "created").</summary>
[MemoryDiagnoser]
[MedianColumn]
public class IngestionCoreBenchmarks
{
    private EventIngestor _ingestor = null!;
    private IngestionRequest _request = null!;
    private IngestionRequest _unschematized = null!;
    private ReadOnlyMemory<byte> _data;

    [Params(1, 64)]
    public int SizeKiB { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var definition = SystemDefinitionLoader.Load(Path.Combine(AppContext.BaseDirectory, "pubsub.json"));
        var body = Encoding.UTF8.GetBytes(SamplePayloads.OrderCreated(SizeKiB * 1024));
        _request = new IngestionRequest("demo", "application/cloudevents+json", new Dictionary<string, string>(), body);
        _unschematized = _request with
        {
            Body = Encoding.UTF8.GetBytes(SamplePayloads.OrderCreated(SizeKiB * 1024).Replace("\"order.created\"", "\"order.updated\"", StringComparison.Ordinal)),
        };
        _data = EventRequestReader.Read(_request).Events[0].Envelope!.Data!.Utf8;
        var store = new EventStoreSettings("events", TimeSpan.FromDays(30), "us-east-1");
        _ingestor = new EventIngestor(new ItemBuildingStore(store), new NoDeadLetters(),
            new FixedIngestionSettings(new IngestionSettings(definition, FingerprintKey.Development)), store, new NoAlerts(),
            new IngestionMetrics(new NoMeterFactory()), TimeProvider.System, NullLogger<EventIngestor>.Instance);
        if (_ingestor.IngestAsync(_request, default).Result is not IngestionResponse.One { Result: IngestionResult.Accepted })
        {
            throw new InvalidOperationException("The sample event must be accepted.");
        }
    }

    [Benchmark(Description = "read + validate")]
    public ParsedRequest Read() => EventRequestReader.Read(_request);

    /// <summary>The pass over <c>data</c> that refuses duplicate members, text messages cannot carry and
    /// too many array elements; separate from the scan, so its share of the whole is worth knowing.</summary>
    [Benchmark(Description = "check data")]
    public JsonFault? CheckData()
    {
        var reader = new Utf8JsonReader(_data.Span);
        reader.Read();
        return new JsonValueChecker(_data, PubSub.Events.EventLimits.MaxArrayElements).Check(reader);
    }

    [Benchmark(Description = "scan data")]
    public List<SensitiveFinding> Scan() => SensitiveDataScanner.Scan(_data, "$.data");

    [Benchmark(Description = "whole core, type with a schema")]
    public Task<IngestionResponse> Ingest() => _ingestor.IngestAsync(_request, default);

    [Benchmark(Description = "whole core, type without a schema")]
    public Task<IngestionResponse> IngestWithoutSchema() => _ingestor.IngestAsync(_unschematized, default);

    private sealed class ItemBuildingStore(EventStoreSettings settings) : IEventStore
    {
        public Task<StoreResult> AddAsync(EventEnvelope envelope, CancellationToken cancellationToken)
        {
            _ = EventItem.ToItem(envelope, settings.Retention);
            return Task.FromResult(StoreResult.New);
        }
    }

    private sealed class NoDeadLetters : IIngestionDeadLetterQueue
    {
        public Task<bool> TrySendAsync(EventEnvelope envelope, string errorCode, string errorMessage, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("The benchmark store never fails.");
    }

    private sealed class NoAlerts : IAlertSink
    {
        public void Raise(SensitiveDataAlert alert) => throw new InvalidOperationException("The sample data is clean.");
    }
}
