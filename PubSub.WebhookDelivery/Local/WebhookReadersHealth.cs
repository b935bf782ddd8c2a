using System.Collections.Concurrent;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace PubSub.WebhookDelivery.Local;

/// <summary>Unhealthy while a subscription's queue reader has failed within <see cref="FailureShownFor"/> (its queue
/// missing, say), naming it; healthy otherwise, with the number of subscriptions delivered. One endpoint failing is
/// not the worker's ill health: that shows in the attempts, the circuit and the dead-letter queues.</summary>
internal sealed class WebhookReadersHealth(TimeProvider time) : IHealthCheck
{
    public static readonly TimeSpan FailureShownFor = TimeSpan.FromMinutes(1);

    private readonly ConcurrentDictionary<string, (string Error, DateTimeOffset At)> _failures = new(StringComparer.Ordinal);
    private volatile int _count;

    public void Started(string subscriptionId) => _failures.TryRemove(subscriptionId, out _);

    public void Stopped(string subscriptionId) => _failures.TryRemove(subscriptionId, out _);

    public void Failed(string subscriptionId, string error) => _failures[subscriptionId] = (error, time.GetUtcNow());

    public void Count(int readers) => _count = readers;

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var since = time.GetUtcNow() - FailureShownFor;
        var failing = _failures.Where(f => f.Value.At >= since).OrderBy(f => f.Key, StringComparer.Ordinal).ToList();
        var data = new Dictionary<string, object> { ["subscriptions"] = _count };
        return Task.FromResult(failing.Count > 0
            ? HealthCheckResult.Unhealthy(
                $"Cannot read the queues of: {string.Join("; ", failing.Select(f => $"{f.Key} ({f.Value.Error})"))}", data: data)
            : HealthCheckResult.Healthy($"Delivering {_count} webhook subscriptions", data));
    }
}
