using System.Diagnostics.Metrics;

namespace PubSub.Functions;

/// <summary>Meters without a host: the cores' instruments exist (so they need no second code path), and
/// nothing listens in Lambda, where CloudWatch gets the logs and the platform's own metrics.</summary>
public sealed class LambdaMeterFactory : IMeterFactory
{
    public static readonly LambdaMeterFactory Instance = new();

    public Meter Create(MeterOptions options) => new(options);

    public void Dispose()
    {
    }
}
