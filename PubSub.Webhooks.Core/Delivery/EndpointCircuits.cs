namespace PubSub.Webhooks.Delivery;

/// <summary>The circuit breakers of all endpoints, over a <see cref="ICircuitStateStore"/>: every change is a
/// compare-and-swap on the state's version, so concurrent workers (threads or Lambda instances) never lose one, and
/// only one of them wins a half-open probe. Each change is logged and returned for the caller to alert on.</summary>
public sealed partial class EndpointCircuits(
    ICircuitStateStore store, CircuitBreakerOptions options, TimeProvider timeProvider, ILogger<EndpointCircuits> logger)
{
    /// <summary>Whether an attempt to <paramref name="endpointId"/> may go now.</summary>
    public async Task<CircuitPermit> AdmitAsync(string endpointId, CancellationToken cancellationToken)
    {
        while (true)
        {
            var state = await store.GetAsync(endpointId, cancellationToken).ConfigureAwait(false);
            var (kind, wait, next) = CircuitBreaker.Admit(state, timeProvider.GetUtcNow(), options);
            if (ReferenceEquals(next, state))
            {
                return new CircuitPermit(kind, wait, null);
            }

            var transition = await TryChangeAsync(endpointId, state, next, cancellationToken).ConfigureAwait(false);
            if (transition is not null)
            {
                return new CircuitPermit(kind, wait, transition);
            }
        }
    }

    /// <summary>Counts an attempt's result; returns the change it made to the circuit, if any.</summary>
    public async Task<CircuitTransition?> RecordAsync(DeliveryAttempt attempt, CancellationToken cancellationToken)
    {
        while (true)
        {
            var state = await store.GetAsync(attempt.EndpointId, cancellationToken).ConfigureAwait(false);
            var next = CircuitBreaker.Record(state, attempt, timeProvider.GetUtcNow(), options);
            if (next == state)
            {
                return null;
            }

            var transition = await TryChangeAsync(attempt.EndpointId, state, next, cancellationToken).ConfigureAwait(false);
            if (transition is not null)
            {
                return transition.From == transition.To ? null : transition;
            }
        }
    }

    public ValueTask<CircuitState> GetAsync(string endpointId, CancellationToken cancellationToken) =>
        store.GetAsync(endpointId, cancellationToken);

    /// <summary>An operator's (or a 410's) disable.</summary>
    public Task<CircuitTransition> DisableAsync(string endpointId, string reason, CancellationToken cancellationToken) =>
        ChangeAsync(endpointId, state => CircuitBreaker.Disable(state, reason), cancellationToken);

    /// <summary>An operator's enable: closed, failures forgotten.</summary>
    public Task<CircuitTransition> EnableAsync(string endpointId, CancellationToken cancellationToken) =>
        ChangeAsync(endpointId, CircuitBreaker.Enable, cancellationToken);

    private async Task<CircuitTransition> ChangeAsync(string endpointId, Func<CircuitState, CircuitState> change, CancellationToken cancellationToken)
    {
        while (true)
        {
            var state = await store.GetAsync(endpointId, cancellationToken).ConfigureAwait(false);
            var transition = await TryChangeAsync(endpointId, state, change(state), cancellationToken).ConfigureAwait(false);
            if (transition is not null)
            {
                return transition;
            }
        }
    }

    /// <summary>Stores <paramref name="next"/> if nobody changed the state since <paramref name="read"/>; null if
    /// somebody did (the caller reads again).</summary>
    private async Task<CircuitTransition?> TryChangeAsync(string endpointId, CircuitState read, CircuitState next, CancellationToken cancellationToken)
    {
        next = next with { Version = read.Version + 1 };
        if (!await store.TryReplaceAsync(endpointId, read.Version, next, cancellationToken).ConfigureAwait(false))
        {
            return null;
        }

        if (read.Status != next.Status)
        {
            LogTransition(endpointId, read.Status, next.Status, next.ConsecutiveFailures, next.DisabledReason);
        }

        return new CircuitTransition(endpointId, read.Status, next.Status, next);
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Webhook endpoint {EndpointId}: circuit {From} -> {To} after {ConsecutiveFailures} consecutive failures ({Reason})")]
    private partial void LogTransition(string endpointId, CircuitStatus from, CircuitStatus to, int consecutiveFailures, string? reason);
}
