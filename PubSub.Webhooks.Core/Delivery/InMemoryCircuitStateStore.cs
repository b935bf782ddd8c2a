using System.Collections.Concurrent;

namespace PubSub.Webhooks.Delivery;

/// <summary>The circuits of one process (the local worker, the tests).</summary>
public sealed class InMemoryCircuitStateStore : ICircuitStateStore
{
    private readonly ConcurrentDictionary<string, CircuitState> states = new(StringComparer.Ordinal);

    public ValueTask<CircuitState> GetAsync(string endpointId, CancellationToken cancellationToken) =>
        ValueTask.FromResult(states.GetValueOrDefault(endpointId, CircuitState.Initial));

    public ValueTask<bool> TryReplaceAsync(string endpointId, long expectedVersion, CircuitState replacement, CancellationToken cancellationToken)
    {
        if (expectedVersion == 0)
        {
            return ValueTask.FromResult(states.TryAdd(endpointId, replacement));
        }

        // TryUpdate compares whole records; the version alone decides, so compare against the stored one if it matches.
        var replaced = states.TryGetValue(endpointId, out var stored)
            && stored.Version == expectedVersion
            && states.TryUpdate(endpointId, replacement, stored);
        return ValueTask.FromResult(replaced);
    }
}
