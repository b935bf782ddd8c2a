using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace PubSub.StreamPublisher.Local;

/// <summary>Healthy while the poller reads its stream; unhealthy while it cannot.</summary>
internal sealed class StreamPollerHealth(TimeProvider timeProvider) : IHealthCheck
{
    private volatile string? _error = "not started";
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
        return Task.FromResult(error is null
            ? HealthCheckResult.Healthy("Reading the stream", data)
            : HealthCheckResult.Unhealthy($"Cannot read the stream: {error}", data: data));
    }
}
