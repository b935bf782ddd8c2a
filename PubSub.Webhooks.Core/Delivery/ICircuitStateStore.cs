namespace PubSub.Webhooks.Delivery;

/// <summary>Where the endpoints' circuits live: in memory for one process (<see cref="InMemoryCircuitStateStore"/>),
/// in DynamoDB for the Lambda workers (a conditional write on <see cref="CircuitState.Version"/>; it comes with
/// the worker).</summary>
public interface ICircuitStateStore
{
    /// <summary>The stored state, or <see cref="CircuitState.Initial"/> for an endpoint never seen.</summary>
    ValueTask<CircuitState> GetAsync(string endpointId, CancellationToken cancellationToken);

    /// <summary>Stores <paramref name="replacement"/> only if the stored state still has <paramref name="expectedVersion"/>;
    /// false when another worker changed it first (read again and redo).</summary>
    ValueTask<bool> TryReplaceAsync(string endpointId, long expectedVersion, CircuitState replacement, CancellationToken cancellationToken);
}
