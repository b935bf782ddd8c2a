using System.Text;
using System.Text.Json;
using PubSub.Emulators;
using PubSub.Functions.Metrics;

namespace PubSub.UnitTests.Metrics;

/// <summary>The embedded metric format writer's pure logic: aggregation, dimension sets, splitting at the
/// specification's limits. Every document written here also passes the independent check.</summary>
public sealed class EmbeddedMetricsWriterTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 12, 0, 0, TimeSpan.Zero);
    private static readonly EmbeddedMetric Events = EmbeddedMetricCatalog.ByName["pubsub.ingestion.events"];
    private static readonly EmbeddedMetric Duration = EmbeddedMetricCatalog.ByName["pubsub.ingestion.duration"];
    private static readonly EmbeddedMetric PublishDeadLetters = EmbeddedMetricCatalog.ByName["pubsub.publisher.dead_lettered"];

    private static KeyValuePair<string, object?>[] Tags(params (string Name, object? Value)[] tags) =>
        [.. tags.Select(t => KeyValuePair.Create(t.Name, t.Value))];

    /// <summary>Flushes and returns the documents, each checked against the specification's rules.</summary>
    internal static List<JsonElement> Flush(EmbeddedMetricsWriter writer)
    {
        var lines = new List<string>();
        writer.Flush(Now, line => lines.Add(Encoding.UTF8.GetString(line)));
        foreach (var line in lines)
        {
            Assert.DoesNotContain('\n', line);
            var problems = EmbeddedMetricFormatCheck.Problems(line);
            Assert.True(problems.Count == 0, $"{line}\n{string.Join("\n", problems)}");
        }

        return [.. lines.Select(l => JsonDocument.Parse(l).RootElement.Clone())];
    }

    private static string[][] Sets(JsonElement document) =>
        [.. document.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0].GetProperty("Dimensions").EnumerateArray()
            .Select(s => s.EnumerateArray().Select(d => d.GetString()!).ToArray())];

    private static string[] MetricNames(JsonElement document) =>
        [.. document.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0].GetProperty("Metrics").EnumerateArray()
            .Select(m => m.GetProperty("Name").GetString()!)];

    [Fact]
    public void Counters_are_summed_per_dimension_values_into_one_document_each()
    {
        var writer = new EmbeddedMetricsWriter("PubSub/test");
        writer.Record(Events, false, 1, Tags(("outcome", "accepted"), ("publisher", "demo"), ("reason", null)));
        writer.Record(Events, false, 1, Tags(("outcome", "accepted"), ("publisher", "demo"), ("reason", null)));
        writer.Record(Events, false, 1, Tags(("outcome", "accepted"), ("publisher", "acme"), ("reason", null)));

        var documents = Flush(writer);

        Assert.Equal(2, documents.Count);
        var demo = documents.Single(d => d.GetProperty("publisher").GetString() == "demo");
        Assert.Equal(2, demo.GetProperty("pubsub.ingestion.events").GetDouble());
        Assert.Equal("accepted", demo.GetProperty("outcome").GetString());
        Assert.Equal(Now.ToUnixTimeMilliseconds(), demo.GetProperty("_aws").GetProperty("Timestamp").GetInt64());
        Assert.Equal("PubSub/test", demo.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0].GetProperty("Namespace").GetString());
        var metric = demo.GetProperty("_aws").GetProperty("CloudWatchMetrics")[0].GetProperty("Metrics")[0];
        Assert.Equal("Count", metric.GetProperty("Unit").GetString());
        Assert.True(writer.IsEmpty);
        Assert.Empty(Flush(writer));
    }

    [Fact]
    public void A_missing_tag_is_left_out_and_gives_the_shorter_dimension_sets()
    {
        var writer = new EmbeddedMetricsWriter("PubSub");
        writer.Record(Events, false, 1, Tags(("outcome", "accepted"), ("publisher", "demo"), ("reason", null)));
        writer.Record(Events, false, 1, Tags(("outcome", "rejected"), ("publisher", "demo"), ("reason", "schema-violation")));

        var documents = Flush(writer);

        var accepted = documents.Single(d => d.GetProperty("outcome").GetString() == "accepted");
        Assert.False(accepted.TryGetProperty("reason", out _));
        Assert.Equal([["publisher", "outcome"], ["publisher"], ["outcome"]], Sets(accepted));
        var rejected = documents.Single(d => d.GetProperty("outcome").GetString() == "rejected");
        Assert.Equal("schema-violation", rejected.GetProperty("reason").GetString());
        Assert.Equal([["publisher", "outcome", "reason"], ["publisher", "outcome"], ["publisher"], ["outcome"]], Sets(rejected));
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    [InlineData(null)]
    public void An_empty_or_blank_value_is_no_dimension(string? topic)
    {
        var writer = new EmbeddedMetricsWriter("PubSub");
        writer.Record(PublishDeadLetters, false, 1, Tags(("topic", topic), ("error", "ThrottledException"), ("reason", "undecodable-record")));

        var document = Assert.Single(Flush(writer));

        Assert.False(document.TryGetProperty("topic", out _));
        Assert.Equal([["reason"]], Sets(document));
    }

    [Fact]
    public void A_tag_that_is_not_a_dimension_is_summed_over_and_not_written()
    {
        var writer = new EmbeddedMetricsWriter("PubSub");
        writer.Record(PublishDeadLetters, false, 1, Tags(("topic", "orders"), ("error", "ThrottledException"), ("reason", "undeliverable")));
        writer.Record(PublishDeadLetters, false, 1, Tags(("topic", "orders"), ("error", "InternalError"), ("reason", "undeliverable")));

        var document = Assert.Single(Flush(writer));

        Assert.False(document.TryGetProperty("error", out _));
        Assert.Equal(2, document.GetProperty("pubsub.publisher.dead_lettered").GetDouble());
        Assert.Equal([["topic", "reason"], ["topic"], ["reason"]], Sets(document));
    }

    [Fact]
    public void A_value_longer_than_CloudWatch_takes_is_no_dimension()
    {
        var writer = new EmbeddedMetricsWriter("PubSub");
        writer.Record(Duration, true, 0.5, Tags(("outcome", new string('a', EmbeddedMetricsWriter.MaxDimensionValueLength + 1))));

        var document = Assert.Single(Flush(writer));

        Assert.Equal([[]], Sets(document));
    }

    [Fact]
    public void Histograms_are_value_arrays_and_split_at_100_values_per_document()
    {
        var writer = new EmbeddedMetricsWriter("PubSub");
        var dead = EmbeddedMetricCatalog.ByName["pubsub.ingestion.dead_lettered"];
        var batch = EmbeddedMetricCatalog.ByName["pubsub.ingestion.batch.size"];
        for (var i = 0; i < 250; i++)
        {
            writer.Record(batch, true, i, Tags(("publisher", "demo")));
        }

        writer.Record(dead, false, 3, Tags(("publisher", "demo")));

        var documents = Flush(writer);

        Assert.Equal([100, 100, 50], documents.Select(d => d.GetProperty("pubsub.ingestion.batch.size").GetArrayLength()));
        Assert.Equal(Enumerable.Range(0, 250).Select(i => (double)i),
            documents.SelectMany(d => d.GetProperty("pubsub.ingestion.batch.size").EnumerateArray().Select(v => v.GetDouble())));

        // The counter shares the first document (same dimensions) and is written once.
        Assert.Equal(["pubsub.ingestion.batch.size", "pubsub.ingestion.dead_lettered"], MetricNames(documents[0]).Order(StringComparer.Ordinal));
        Assert.Equal(["pubsub.ingestion.batch.size"], MetricNames(documents[2]));
        Assert.Equal(3, documents.Sum(d => d.TryGetProperty("pubsub.ingestion.dead_lettered", out var v) ? v.GetDouble() : 0));
    }

    [Fact]
    public void More_than_100_metrics_with_the_same_dimensions_go_to_further_documents()
    {
        var writer = new EmbeddedMetricsWriter("PubSub");
        for (var i = 0; i < 150; i++)
        {
            writer.Record(new EmbeddedMetric($"metric.{i:D3}", "Count", ["topic"], [["topic"]]), false, i, Tags(("topic", "orders")));
        }

        var documents = Flush(writer);

        Assert.Equal([100, 50], documents.Select(d => MetricNames(d).Length));
        Assert.Equal(150, documents.SelectMany(MetricNames).Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [InlineData(double.NaN)]
    [InlineData(double.PositiveInfinity)]
    public void A_value_that_is_not_a_finite_number_is_dropped(double value)
    {
        var writer = new EmbeddedMetricsWriter("PubSub");
        writer.Record(Duration, true, value, Tags(("outcome", "accepted")));

        Assert.True(writer.IsEmpty);
    }

    [Fact]
    public void Measurements_from_parallel_threads_all_count()
    {
        var writer = new EmbeddedMetricsWriter("PubSub");
        Parallel.For(0, 10_000, _ => writer.Record(Events, false, 1, Tags(("outcome", "accepted"), ("publisher", "demo"))));

        Assert.Equal(10_000, Assert.Single(Flush(writer)).GetProperty("pubsub.ingestion.events").GetDouble());
    }

    [Theory]
    [InlineData("s", "Seconds")]
    [InlineData("ms", "Milliseconds")]
    [InlineData("{event}", "Count")]
    [InlineData("{record}", "Count")]
    [InlineData(null, "Count")]
    [InlineData("By", "Bytes")]
    [InlineData("furlong", "None")]
    public void OpenTelemetry_units_map_to_CloudWatch_units(string? unit, string expected)
    {
        Assert.Equal(expected, EmbeddedMetric.UnitOf(unit));
        Assert.Contains(expected, EmbeddedMetricFormatCheck.Units);
    }
}
