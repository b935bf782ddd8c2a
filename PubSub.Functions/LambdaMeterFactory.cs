using System.Diagnostics.Metrics;

namespace PubSub.Functions;

/// <summary>Meters without a host: the cores' instruments exist (so they need no second code path), and in
/// Lambda the host's <see cref="Metrics.EmbeddedMetricsListener"/> listens to them and writes CloudWatch's
/// embedded metric format to the logs.</summary>
public sealed class LambdaMeterFactory : IMeterFactory
{
    public static readonly LambdaMeterFactory Instance = new();

    public Meter Create(MeterOptions options) => new(options);

    public void Dispose()
    {
    }
}
