using System.Diagnostics.Metrics;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PubSub.Emulators;
using PubSub.Functions;
using PubSub.Functions.Metrics;
using PubSub.Ingestion.Core;
using PubSub.StreamPublisher.Core;
using PubSub.UnitTests.Layering;
using PubSub.Webhooks.Worker;
using Xunit.Abstractions;

namespace PubSub.UnitTests.Metrics;

/// <summary>The listener over the cores' real instruments, and its documents against the specification's
/// JSON schema (python3's jsonschema, where installed) as well as the rules checked in C#.</summary>
public sealed class EmbeddedMetricsListenerTests(ITestOutputHelper output) : IDisposable
{
    // A factory of this test's own: the listener ignores meters that other tests create meanwhile.
    private readonly LambdaMeterFactory _meters = new();
    private readonly List<string> _lines = [];
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero));

    public void Dispose() => _meters.Dispose();

    private EmbeddedMetricsListener Listen(Action<ReadOnlySpan<byte>>? writeLine = null) =>
        new(_meters, "PubSub/test", writeLine ?? (line => _lines.Add(Encoding.UTF8.GetString(line))), _time,
            NullLogger<EmbeddedMetricsListener>.Instance);

    /// <summary>Every instrument of both cores, each measured once or more.</summary>
    private void MeasureEverything()
    {
        var ingestion = new IngestionMetrics(_meters);
        ingestion.Record("accepted", "demo", TimeSpan.FromMilliseconds(12));
        ingestion.Record("rejected", "demo", TimeSpan.FromMilliseconds(3), "schema-violation");
        ingestion.DeadLettered("demo");
        ingestion.Sensitive("demo", "credit-card", "redact", 2);
        ingestion.BatchSize("demo", 10);
        var publisher = new StreamPublisherMetrics(_meters);
        publisher.BatchSize(2);
        publisher.Record("routed");
        publisher.Routed("orders-to-demo");
        publisher.Published("orders", 1);
        publisher.PublishDuration("orders", TimeSpan.FromMilliseconds(20));
        publisher.DeadLettered("orders", "InternalError", "undeliverable");
        publisher.DeadLettered("", "JsonException", "undecodable-record");
        publisher.Lag(TimeSpan.FromSeconds(1.5));
        var webhooks = new WebhookDeliveryMetrics(_meters);
        webhooks.Attempted("hook", "Failed", "Timeout", TimeSpan.FromSeconds(15));
        webhooks.Attempted("hook", "Succeeded", "None", TimeSpan.FromMilliseconds(40));
        webhooks.Delivered("hook");
        webhooks.DeadLettered("hook", "attempts-exhausted");
        webhooks.Deferred("hook", "circuit");
        webhooks.OutOfOrder("hook");
    }

    [Fact]
    public void Every_instrument_of_the_cores_is_published_with_its_unit()
    {
        var instruments = new List<Instrument>();
        using (var listener = new MeterListener())
        {
            listener.InstrumentPublished = (instrument, _) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, _meters))
                {
                    instruments.Add(instrument);
                }
            };
            listener.Start();
            _ = new IngestionMetrics(_meters);
            _ = new StreamPublisherMetrics(_meters);
            _ = new WebhookDeliveryMetrics(_meters);
        }

        Assert.NotEmpty(instruments);
        foreach (var instrument in instruments)
        {
            Assert.True(EmbeddedMetricCatalog.ByName.TryGetValue(instrument.Name, out var metric), $"{instrument.Name} is not in EmbeddedMetricCatalog");
            Assert.Equal(EmbeddedMetric.UnitOf(instrument.Unit), metric.Unit);
        }

        Assert.Equal(EmbeddedMetricCatalog.ByName.Keys.Order(StringComparer.Ordinal), instruments.Select(i => i.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Each_dimension_set_names_only_the_metrics_dimensions_and_at_most_30()
    {
        foreach (var metric in EmbeddedMetricCatalog.ByName.Values)
        {
            Assert.InRange(metric.Dimensions.Length, 0, EmbeddedMetric.MaxDimensions);
            Assert.All(metric.DimensionSets, set => Assert.Subset(metric.Dimensions.ToHashSet(), set.ToHashSet()));
            Assert.All(metric.DimensionSets, set => Assert.InRange(set.Length, 0, 30));
        }

        // The per-publisher alarm needs the sensitive findings under [publisher] alone.
        Assert.Contains(["publisher"], EmbeddedMetricCatalog.ByName["pubsub.ingestion.sensitive"].DimensionSets);
    }

    [Fact]
    public void Webhook_attempts_are_written_by_outcome_and_by_subscription_and_outcome_and_their_duration_by_subscription()
    {
        using var listener = Listen();
        var webhooks = new WebhookDeliveryMetrics(_meters);
        webhooks.Attempted("hook", "Failed", "Timeout", TimeSpan.FromSeconds(15));
        webhooks.Attempted("hook", "Failed", "Refused", TimeSpan.FromMilliseconds(2));
        webhooks.Attempted("other", "Succeeded", "None", TimeSpan.FromMilliseconds(40));

        listener.Flush();

        var documents = _lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        List<string> SetsOf(string metric) =>
        [
            .. documents.Where(d => d.TryGetProperty(metric, out _))
                .SelectMany(d => d.GetProperty("_aws").GetProperty("CloudWatchMetrics").EnumerateArray()
                    .Where(m => m.GetProperty("Metrics").EnumerateArray().Any(x => x.GetProperty("Name").GetString() == metric))
                    .SelectMany(m => m.GetProperty("Dimensions").EnumerateArray()
                        .Select(set => string.Join(',', set.EnumerateArray().Select(x => x.GetString()!).Order(StringComparer.Ordinal)))))
                .Distinct().Order(StringComparer.Ordinal),
        ];
        Assert.Equal(["outcome", "outcome,subscription"], SetsOf("pubsub.webhook.attempts"));
        Assert.Equal(["subscription"], SetsOf("pubsub.webhook.attempt.duration"));
        // The two failures of "hook" are one value (the error is summed over, not a dimension).
        var failed = documents.Single(d => d.TryGetProperty("pubsub.webhook.attempts", out _) && d.TryGetProperty("subscription", out var s)
            && s.GetString() == "hook" && d.GetProperty("outcome").GetString() == "Failed");
        Assert.Equal(2, failed.GetProperty("pubsub.webhook.attempts").GetDouble());
        Assert.False(failed.TryGetProperty("error", out _));
    }

    [Fact]
    public async Task What_the_cores_measure_is_written_on_flush_as_valid_embedded_metric_format()
    {
        using var listener = Listen();
        MeasureEverything();

        listener.Flush();

        Assert.NotEmpty(_lines);
        var written = _lines.Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var names = written.SelectMany(d => d.EnumerateObject().Select(p => p.Name)).Where(n => n.StartsWith("pubsub.", StringComparison.Ordinal));
        Assert.Equal(EmbeddedMetricCatalog.ByName.Keys.Order(StringComparer.Ordinal), names.Distinct().Order(StringComparer.Ordinal));
        var sensitive = written.Single(d => d.TryGetProperty("pubsub.ingestion.sensitive", out _));
        Assert.Equal(2, sensitive.GetProperty("pubsub.ingestion.sensitive").GetDouble());
        Assert.Equal("credit-card", sensitive.GetProperty("detector").GetString());
        Assert.All(_lines, line => Assert.Empty(EmbeddedMetricFormatCheck.Problems(line)));

        var schema = await EmbeddedMetricFormatCheck.SchemaProblemsAsync(ProjectGraph.RepositoryRoot(), _lines);
        if (schema is null)
        {
            output.WriteLine("python3 with jsonschema is not installed: the documents were checked against the specification's rules in C# only.");
            return;
        }

        Assert.True(schema.Count == 0, string.Join("\n", schema));
    }

    [Fact]
    public async Task The_independent_checks_refuse_what_breaks_the_specification()
    {
        string[] broken =
        [
            """{"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Namespace":"N","Dimensions":[["publisher"]],"Metrics":[{"Name":"m","Unit":"Count"}]}]},"publisher":"","m":1}""",
            """{"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Namespace":"N","Dimensions":[[]],"Metrics":[{"Name":"m","Unit":"Things"}]}]},"m":1}""",
            $$"""{"_aws":{"Timestamp":1,"CloudWatchMetrics":[{"Namespace":"N","Dimensions":[[]],"Metrics":[{"Name":"m","Unit":"Count"}]}]},"m":[{{string.Join(",", Enumerable.Range(0, 101))}}]}""",
        ];

        Assert.All(broken, line => Assert.NotEmpty(EmbeddedMetricFormatCheck.Problems(line)));
        var schema = await EmbeddedMetricFormatCheck.SchemaProblemsAsync(ProjectGraph.RepositoryRoot(), broken);
        if (schema is not null)
        {
            Assert.Equal(3, schema.Count);
        }
    }

    [Fact]
    public void Flushing_writes_nothing_when_nothing_was_measured_and_each_measurement_once()
    {
        using var listener = Listen();
        listener.Flush();
        Assert.Empty(_lines);

        new StreamPublisherMetrics(_meters).Published("orders", 3);
        listener.Flush();
        listener.Flush();

        var document = JsonDocument.Parse(Assert.Single(_lines)).RootElement;
        Assert.Equal(3, document.GetProperty("pubsub.publisher.messages").GetDouble());
        Assert.Equal(_time.GetUtcNow().ToUnixTimeMilliseconds(), document.GetProperty("_aws").GetProperty("Timestamp").GetInt64());
    }

    [Fact]
    public void A_failure_to_write_is_logged_and_not_thrown()
    {
        using var listener = Listen(_ => throw new IOException("stdout is gone"));
        new StreamPublisherMetrics(_meters).Published("orders", 1);

        listener.Flush();
    }

    [Fact]
    public void Meters_of_another_factory_are_not_listened_to()
    {
        using var listener = Listen();
        using var other = new LambdaMeterFactory();
        new StreamPublisherMetrics(other).Published("orders", 1);

        listener.Flush();

        Assert.Empty(_lines);
    }

    [Fact]
    public void The_namespace_comes_from_the_environment_or_is_PubSub()
    {
        Assert.Equal("PubSub/prod", EmbeddedMetricsListener.NamespaceFrom(v => v == EmbeddedMetricsListener.NamespaceVariable ? "PubSub/prod" : null));
        Assert.Equal("PubSub", EmbeddedMetricsListener.NamespaceFrom(_ => null));
        Assert.Equal("PubSub", EmbeddedMetricsListener.NamespaceFrom(_ => ""));
    }
}
