using System.Diagnostics.Metrics;
using PubSub.Telemetry;

namespace PubSub.Functions.Metrics;

/// <summary>Listens to the PubSub meters in Lambda and, after each invocation's answer is posted, writes what
/// it recorded to stdout as embedded metric format lines: CloudWatch Logs turns them into metrics, with no
/// agent and no call from the function. A failure to write is logged, never thrown into the runtime loop.</summary>
public sealed partial class EmbeddedMetricsListener : IDisposable
{
    /// <summary>The CloudWatch namespace; the stack sets it, <see cref="DefaultNamespace"/> otherwise.</summary>
    public const string NamespaceVariable = "PUBSUB_METRICS_NAMESPACE";
    public const string DefaultNamespace = "PubSub";

    private readonly MeterListener _listener = new();
    private readonly EmbeddedMetricsWriter _writer;
    private readonly Action<ReadOnlySpan<byte>> _writeLine;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;

    /// <param name="meters">The factory whose meters are listened to (<see cref="LambdaMeterFactory.Instance"/> in Lambda):
    /// a meter made elsewhere in the process is not this function's.</param>
    /// <param name="writeLine">Writes one line (the newline is the sink's): stdout's JSON log writer in Lambda.</param>
    public EmbeddedMetricsListener(IMeterFactory meters, string metricsNamespace, Action<ReadOnlySpan<byte>> writeLine, TimeProvider time,
        ILogger<EmbeddedMetricsListener> logger)
    {
        _writer = new EmbeddedMetricsWriter(metricsNamespace);
        _writeLine = writeLine;
        _time = time;
        _logger = logger;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (ReferenceEquals(instrument.Meter.Scope, meters)
                && instrument.Meter.Name.StartsWith(PubSubTelemetry.Prefix, StringComparison.Ordinal)
                && EmbeddedMetricCatalog.ByName.TryGetValue(instrument.Name, out var metric))
            {
                listener.EnableMeasurementEvents(instrument, metric);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, state) => Record(instrument, value, tags, state));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, state) => Record(instrument, value, tags, state));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, state) => Record(instrument, value, tags, state));
        _listener.Start();
    }

    /// <summary>The namespace from <see cref="NamespaceVariable"/>, or <see cref="DefaultNamespace"/>.</summary>
    public static string NamespaceFrom(Func<string, string?> variable) =>
        variable(NamespaceVariable) is { Length: > 0 } configured ? configured.Trim() : DefaultNamespace;

    /// <summary>Writes the invocation's metrics; called after its answer is posted, whether it succeeded or not.</summary>
    public void Flush()
    {
        try
        {
            _writer.Flush(_time.GetUtcNow(), _writeLine);
        }
#pragma warning disable CA1031 // Metrics are never worth an invocation: whatever fails is logged and dropped.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogFlushFailed(e);
        }
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        try
        {
            _writer.Record((EmbeddedMetric)state!, instrument is Histogram<double> or Histogram<long> or Histogram<int>, value, tags);
        }
#pragma warning disable CA1031 // A measurement must never fail the code that took it.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogRecordFailed(e, instrument.Name);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The invocation's metrics could not be written; they are dropped")]
    private partial void LogFlushFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "A measurement of {Instrument} could not be recorded; it is dropped")]
    private partial void LogRecordFailed(Exception exception, string instrument);
}
