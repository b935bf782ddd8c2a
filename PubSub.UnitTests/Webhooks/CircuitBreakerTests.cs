using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PubSub.Webhooks.Delivery;

namespace PubSub.UnitTests.Webhooks;

public sealed class CircuitBreakerTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero));
    private readonly InMemoryCircuitStateStore _store = new();
    private readonly EndpointCircuits _circuits;

    public CircuitBreakerTests() =>
        _circuits = new EndpointCircuits(_store, CircuitBreakerOptions.Default, _time, NullLogger<EndpointCircuits>.Instance);

    private DeliveryAttempt Attempt(int? status, AttemptError error = AttemptError.None, string endpoint = "w1") =>
        new("e1", endpoint, "https://example.com/hook", 1, _time.GetUtcNow(), status, error, TimeSpan.FromMilliseconds(5), "", null);

    private async Task<List<CircuitTransition>> FailAsync(int times, string endpoint = "w1")
    {
        var transitions = new List<CircuitTransition>();
        for (var i = 0; i < times; i++)
        {
            if (await _circuits.RecordAsync(Attempt(null, AttemptError.Timeout, endpoint), CancellationToken.None) is { } t)
            {
                transitions.Add(t);
            }
        }

        return transitions;
    }

    [Fact]
    public async Task A_new_endpoint_is_closed_and_lets_deliveries_through()
    {
        var permit = await _circuits.AdmitAsync("w1", CancellationToken.None);

        Assert.Equal(CircuitPermitKind.Allowed, permit.Kind);
        Assert.Equal("enabled", (await _circuits.GetAsync("w1", CancellationToken.None)).ListState);
    }

    [Fact]
    public async Task Five_consecutive_failures_open_the_circuit_and_say_so_once()
    {
        Assert.Empty(await FailAsync(4));
        var transitions = await FailAsync(1);

        var opened = Assert.Single(transitions);
        Assert.Equal((CircuitStatus.Closed, CircuitStatus.Open), (opened.From, opened.To));
        Assert.True(opened.Alerts);
        Assert.Equal("open-circuit", opened.State.ListState);
        Assert.Equal(5, opened.State.ConsecutiveFailures);
        var permit = await _circuits.AdmitAsync("w1", CancellationToken.None);
        Assert.Equal(CircuitPermitKind.Wait, permit.Kind);
        Assert.Equal(TimeSpan.FromMinutes(1), permit.Wait);
    }

    [Fact]
    public async Task A_success_between_failures_resets_the_count()
    {
        await FailAsync(4);
        await _circuits.RecordAsync(Attempt(200), CancellationToken.None);
        await FailAsync(4);

        var state = await _circuits.GetAsync("w1", CancellationToken.None);
        Assert.Equal(CircuitStatus.Closed, state.Status);
        Assert.Equal(4, state.ConsecutiveFailures);
    }

    [Fact]
    public async Task After_the_open_period_exactly_one_probe_goes_and_its_success_closes_the_circuit()
    {
        await FailAsync(5);
        _time.Advance(TimeSpan.FromMinutes(1));

        var probe = await _circuits.AdmitAsync("w1", CancellationToken.None);
        var second = await _circuits.AdmitAsync("w1", CancellationToken.None);
        Assert.Equal(CircuitPermitKind.Probe, probe.Kind);
        Assert.Equal((CircuitStatus.Open, CircuitStatus.HalfOpen), (probe.Transition!.From, probe.Transition.To));
        Assert.Equal(CircuitPermitKind.Wait, second.Kind);

        var closed = await _circuits.RecordAsync(Attempt(204), CancellationToken.None);
        Assert.Equal((CircuitStatus.HalfOpen, CircuitStatus.Closed), (closed!.From, closed.To));
        Assert.Equal(CircuitPermitKind.Allowed, (await _circuits.AdmitAsync("w1", CancellationToken.None)).Kind);
    }

    [Fact]
    public async Task A_failed_probe_opens_the_circuit_again()
    {
        await FailAsync(5);
        _time.Advance(TimeSpan.FromMinutes(1));
        await _circuits.AdmitAsync("w1", CancellationToken.None);

        var reopened = Assert.Single(await FailAsync(1));

        Assert.Equal((CircuitStatus.HalfOpen, CircuitStatus.Open), (reopened.From, reopened.To));
        Assert.False(reopened.Alerts);
        Assert.Equal(CircuitPermitKind.Wait, (await _circuits.AdmitAsync("w1", CancellationToken.None)).Kind);
    }

    [Fact]
    public async Task A_probe_whose_worker_died_lets_another_probe_go_after_its_lease()
    {
        await FailAsync(5);
        _time.Advance(TimeSpan.FromMinutes(1));
        await _circuits.AdmitAsync("w1", CancellationToken.None);

        _time.Advance(TimeSpan.FromMinutes(2));

        Assert.Equal(CircuitPermitKind.Probe, (await _circuits.AdmitAsync("w1", CancellationToken.None)).Kind);
    }

    [Fact]
    public async Task Only_one_of_many_concurrent_callers_wins_the_probe()
    {
        await FailAsync(5);
        _time.Advance(TimeSpan.FromMinutes(1));

        var permits = await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(() => _circuits.AdmitAsync("w1", CancellationToken.None))));

        Assert.Equal(1, permits.Count(p => p.Kind == CircuitPermitKind.Probe));
        Assert.Equal(63, permits.Count(p => p.Kind == CircuitPermitKind.Wait));
    }

    [Fact]
    public async Task Concurrent_failures_are_all_counted()
    {
        await Task.WhenAll(Enumerable.Range(0, 200).Select(_ => Task.Run(() => _circuits.RecordAsync(Attempt(500), CancellationToken.None))));

        Assert.Equal(200, (await _circuits.GetAsync("w1", CancellationToken.None)).ConsecutiveFailures);
    }

    [Fact]
    public async Task A_429_neither_counts_as_a_failure_nor_resets_the_count()
    {
        await FailAsync(4);
        await _circuits.RecordAsync(Attempt(429), CancellationToken.None);

        var state = await _circuits.GetAsync("w1", CancellationToken.None);
        Assert.Equal((CircuitStatus.Closed, 4), (state.Status, state.ConsecutiveFailures));
    }

    [Fact]
    public async Task A_503_counts_as_a_failure()
    {
        for (var i = 0; i < 5; i++)
        {
            await _circuits.RecordAsync(Attempt(503), CancellationToken.None);
        }

        Assert.Equal(CircuitStatus.Open, (await _circuits.GetAsync("w1", CancellationToken.None)).Status);
    }

    [Fact]
    public async Task Gone_disables_the_endpoint_until_an_operator_enables_it()
    {
        var disabled = await _circuits.RecordAsync(Attempt(410), CancellationToken.None);

        Assert.Equal(CircuitStatus.Disabled, disabled!.To);
        Assert.True(disabled.Alerts);
        Assert.Equal("disabled", disabled.State.ListState);
        Assert.Equal(CircuitPermitKind.Disabled, (await _circuits.AdmitAsync("w1", CancellationToken.None)).Kind);
        _time.Advance(TimeSpan.FromDays(30));
        await _circuits.RecordAsync(Attempt(200), CancellationToken.None);
        Assert.Equal(CircuitPermitKind.Disabled, (await _circuits.AdmitAsync("w1", CancellationToken.None)).Kind);

        await _circuits.EnableAsync("w1", CancellationToken.None);

        Assert.Equal(CircuitPermitKind.Allowed, (await _circuits.AdmitAsync("w1", CancellationToken.None)).Kind);
    }

    [Fact]
    public async Task Five_days_of_failing_without_a_success_disable_the_endpoint()
    {
        await FailAsync(5);
        for (var hours = 0; hours < 119; hours++)
        {
            _time.Advance(TimeSpan.FromHours(1));
            Assert.DoesNotContain(await FailAsync(1), t => t.To == CircuitStatus.Disabled);
        }

        _time.Advance(TimeSpan.FromHours(1));
        var disabled = Assert.Single(await FailAsync(1));

        Assert.Equal(CircuitStatus.Disabled, disabled.To);
        Assert.StartsWith("failing since 2026-12-01T00:00:00", disabled.State.DisabledReason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Endpoints_have_their_own_circuits()
    {
        await FailAsync(5, "dead");

        Assert.Equal(CircuitPermitKind.Allowed, (await _circuits.AdmitAsync("alive", CancellationToken.None)).Kind);
    }
}
