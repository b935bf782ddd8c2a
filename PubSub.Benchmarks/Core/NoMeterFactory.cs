using System.Diagnostics.Metrics;

namespace PubSub.Benchmarks.Core;

/// <summary>Meters nobody listens to: the instruments cost what they cost in production without a collector.</summary>
internal sealed class NoMeterFactory : IMeterFactory
{
    public Meter Create(MeterOptions options) => new(options);

    public void Dispose()
    {
    }
}
