using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace PubSub.StreamPublisher.Local;

/// <summary>Degraded until the poller first reads its stream, healthy while it reads, unhealthy
/// while it cannot.</summary>
internal sealed class StreamPollerHealth(TimeProvider timeProvider) : IHealthCheck
{
    private volatile string? _error;
    private long _lastSuccessTicks;

    public void Succeeded()
    {
        _error = null;
        Interlocked.Exchange(ref _lastSuccessTicks, timeProvider.GetUtcNow().UtcTicks);
    }

    public void Failed(string error) => _error = error;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var error = _error;
        var last = Interlocked.Read(ref _lastSuccessTicks);
        var data = new Dictionary<string, object>
        {
            ["lastSuccessfulRead"] = last == 0 ? "never" : new DateTimeOffset(last, TimeSpan.Zero).ToString("O"),
        };
        return Task.FromResult(error is not null
            ? HealthCheckResult.Unhealthy($"Cannot read the stream: {error}", data: data)
            : last == 0
                ? HealthCheckResult.Degraded("Starting: the stream has not been read yet", data: data)
                : HealthCheckResult.Healthy("Reading the stream", data));
    }
}
