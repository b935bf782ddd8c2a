using PubSub.Webhooks.Delivery;

namespace PubSub.UnitTests.Webhooks;

public sealed class InMemoryCircuitStateStoreTests
{
    [Fact]
    public async Task A_replacement_from_a_stale_read_is_refused()
    {
        var store = new InMemoryCircuitStateStore();
        var first = CircuitState.Initial with { ConsecutiveFailures = 1, Version = 1 };
        var second = first with { ConsecutiveFailures = 2, Version = 2 };
        Assert.True(await store.TryReplaceAsync("w1", 0, first, CancellationToken.None));
        Assert.True(await store.TryReplaceAsync("w1", 1, second, CancellationToken.None));

        // Two workers read version 1; the second to write loses and must read again.
        Assert.False(await store.TryReplaceAsync("w1", 1, first with { ConsecutiveFailures = 9, Version = 2 }, CancellationToken.None));
        Assert.False(await store.TryReplaceAsync("w1", 0, first, CancellationToken.None));
        Assert.Equal(2, (await store.GetAsync("w1", CancellationToken.None)).ConsecutiveFailures);
    }
}
