using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace PubSub.Functions.Metrics;

/// <summary>Aggregates one invocation's measurements and writes them as CloudWatch embedded metric format
/// documents, one JSON object per line: counters summed, histograms as value arrays. Follows the
/// specification's limits: at most <see cref="MaxMetricsPerDocument"/> metrics and
/// <see cref="MaxValuesPerMetric"/> values per metric in a document (more go to further documents), string
/// dimension values, none empty. Safe to feed from several threads (a batch stores events in parallel).</summary>
public sealed class EmbeddedMetricsWriter(string metricsNamespace)
{
    public const int MaxMetricsPerDocument = 100;
    public const int MaxValuesPerMetric = 100;

    /// <summary>CloudWatch's limit for a dimension value; a longer one is left out rather than cut.</summary>
    public const int MaxDimensionValueLength = 1024;

    private readonly Lock _gate = new();
    private readonly Dictionary<SeriesKey, Series> _series = [];
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);

    public string Namespace { get; } = metricsNamespace;

    /// <summary>True when nothing was recorded since the last flush.</summary>
    public bool IsEmpty
    {
        get
        {
            lock (_gate)
            {
                return _series.Count == 0;
            }
        }
    }

    /// <summary>Records a measurement; tags not among the metric's dimensions are summed over, a null, blank or
    /// over-long tag value counts as absent, and a value that is not a finite number is dropped.</summary>
    public void Record(EmbeddedMetric metric, bool isHistogram, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (!double.IsFinite(value))
        {
            return;
        }

        var key = new SeriesKey(metric, ValueOf(metric, 0, tags), ValueOf(metric, 1, tags), ValueOf(metric, 2, tags));
        lock (_gate)
        {
            if (!_series.TryGetValue(key, out var series))
            {
                _series[key] = series = new Series(isHistogram);
            }

            series.Add(value);
        }
    }

    /// <summary>Writes everything recorded since the last flush, one document per <paramref name="writeLine"/>
    /// call (without the newline), and starts afresh.</summary>
    public void Flush(DateTimeOffset timestamp, Action<ReadOnlySpan<byte>> writeLine)
    {
        KeyValuePair<SeriesKey, Series>[] recorded;
        lock (_gate)
        {
            recorded = [.. _series];
            _series.Clear();
        }

        // Metrics that share dimension values and sets share documents.
        foreach (var group in recorded.GroupBy(s => DocumentKey.Of(s.Key), DocumentKey.Comparer))
        {
            var metrics = group.ToList();
            var rounds = metrics.Max(m => (m.Value.Values.Count + MaxValuesPerMetric - 1) / MaxValuesPerMetric);
            for (var round = 0; round < rounds; round++)
            {
                var inRound = metrics.Where(m => m.Value.Values.Count > round * MaxValuesPerMetric).ToList();
                foreach (var chunk in inRound.Chunk(MaxMetricsPerDocument))
                {
                    WriteDocument(group.Key, chunk, round, timestamp, writeLine);
                }
            }
        }
    }

    private void WriteDocument(DocumentKey document, KeyValuePair<SeriesKey, Series>[] metrics, int round, DateTimeOffset timestamp,
        Action<ReadOnlySpan<byte>> writeLine)
    {
        _buffer.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(_buffer))
        {
            json.WriteStartObject();
            json.WriteStartObject("_aws"u8);
            json.WriteNumber("Timestamp"u8, timestamp.ToUnixTimeMilliseconds());
            json.WriteStartArray("CloudWatchMetrics"u8);
            json.WriteStartObject();
            json.WriteString("Namespace"u8, Namespace);
            json.WriteStartArray("Dimensions"u8);
            foreach (var set in document.Sets)
            {
                json.WriteStartArray();
                foreach (var name in set)
                {
                    json.WriteStringValue(name);
                }

                json.WriteEndArray();
            }

            json.WriteEndArray();
            json.WriteStartArray("Metrics"u8);
            foreach (var (key, _) in metrics)
            {
                json.WriteStartObject();
                json.WriteString("Name"u8, key.Metric.Name);
                json.WriteString("Unit"u8, key.Metric.Unit);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
            foreach (var (name, value) in document.Dimensions)
            {
                json.WriteString(name, value);
            }

            foreach (var (key, series) in metrics)
            {
                series.WriteValues(json, key.Metric.Name, round);
            }

            json.WriteEndObject();
        }

        writeLine(_buffer.WrittenSpan);
    }

    private static string? ValueOf(EmbeddedMetric metric, int index, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        if (index >= metric.Dimensions.Length)
        {
            return null;
        }

        var name = metric.Dimensions[index];
        foreach (var (key, value) in tags)
        {
            if (string.Equals(key, name, StringComparison.Ordinal))
            {
                var text = value switch
                {
                    string s => s,
                    IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                    _ => value?.ToString(),
                };
                return string.IsNullOrWhiteSpace(text) || text.Length > MaxDimensionValueLength ? null : text;
            }
        }

        return null;
    }

    /// <summary>One metric and up to <see cref="EmbeddedMetric.MaxDimensions"/> dimension values, in the order of its dimensions.</summary>
    private readonly record struct SeriesKey(EmbeddedMetric Metric, string? First, string? Second, string? Third)
    {
        public string? this[int index] => index switch { 0 => First, 1 => Second, _ => Third };
    }

    private sealed class Series(bool isHistogram)
    {
        public List<double> Values { get; } = new(isHistogram ? 4 : 1);

        public void Add(double value)
        {
            if (!isHistogram && Values.Count == 1)
            {
                Values[0] += value;
            }
            else
            {
                Values.Add(value);
            }
        }

        public void WriteValues(Utf8JsonWriter json, string name, int round)
        {
            var slice = Values.Skip(round * MaxValuesPerMetric).Take(MaxValuesPerMetric).ToList();
            if (!isHistogram)
            {
                json.WriteNumber(name, slice[0]);
                return;
            }

            json.WriteStartArray(name);
            foreach (var value in slice)
            {
                json.WriteNumberValue(value);
            }

            json.WriteEndArray();
        }
    }

    /// <summary>The dimension values present (in the metric's order) and the sets that use only them.</summary>
    private sealed record DocumentKey(KeyValuePair<string, string>[] Dimensions, string[][] Sets, string Identity)
    {
        public static readonly IEqualityComparer<DocumentKey> Comparer =
            EqualityComparer<DocumentKey>.Create((a, b) => a?.Identity == b?.Identity, k => k.Identity.GetHashCode(StringComparison.Ordinal));

        public static DocumentKey Of(SeriesKey key)
        {
            var present = new List<KeyValuePair<string, string>>(EmbeddedMetric.MaxDimensions);
            for (var i = 0; i < key.Metric.Dimensions.Length; i++)
            {
                if (key[i] is { } value)
                {
                    present.Add(KeyValuePair.Create(key.Metric.Dimensions[i], value));
                }
            }

            var names = present.Select(p => p.Key).ToHashSet(StringComparer.Ordinal);
            var sets = key.Metric.DimensionSets.Where(s => s.All(names.Contains))
                .DistinctBy(s => string.Join('\0', s), StringComparer.Ordinal).ToArray();

            // The empty set when no listed set fits: the value still counts, under the namespace alone.
            sets = sets.Length == 0 ? [[]] : sets;

            // A document's members are its dimension values; every set must refer only to present ones.
            var used = sets.SelectMany(s => s).ToHashSet(StringComparer.Ordinal);
            var dimensions = present.Where(p => used.Contains(p.Key)).ToArray();
            var identity = string.Join('\u001f', dimensions.Select(d => d.Key + "=" + d.Value)) + "\u001e"
                + string.Join('\u001f', sets.Select(s => string.Join(',', s)));
            return new DocumentKey(dimensions, sets, identity);
        }
    }
}
