using System.Globalization;
using PubSub.Webhooks.Worker;

namespace PubSub.UnitTests.Webhooks;

/// <summary>The rules of <c>ordering: partitionkey</c> (<see cref="OrderedKeyRules"/>), and the key's item as stored.</summary>
public sealed class OrderedKeyRulesTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan Lease = TimeSpan.FromMinutes(2.5);
    private static readonly TimeSpan Settle = OrderedKeyRules.Settle;

    private static string Order(int second) => OrderedKeyRules.OrderKeyOf(T0.AddSeconds(second), T0);

    private static OrderedKeyState Registered(params (string Id, int Second)[] events) =>
        OrderedKeyRules.Register(OrderedKeyState.Empty, events.Select(e => (e.Id, Order(e.Second))), T0, Lease);

    [Fact]
    public void The_order_key_sorts_as_time_whatever_the_offset_the_publisher_wrote()
    {
        var early = OrderedKeyRules.OrderKeyOf(DateTimeOffset.Parse("2026-12-01T01:00:00.5+01:00", CultureInfo.InvariantCulture), T0);
        var late = OrderedKeyRules.OrderKeyOf(DateTimeOffset.Parse("2026-12-01T00:00:00.6Z", CultureInfo.InvariantCulture), T0);
        Assert.Equal("2026-12-01T00:00:00.5000000Z", early);
        Assert.True(string.CompareOrdinal(early, late) < 0);
        Assert.Equal("2026-12-01T00:00:00.0000000Z", OrderedKeyRules.OrderKeyOf(null, T0)); // no time: when first seen
    }

    [Fact]
    public void Only_the_oldest_event_goes_and_only_after_the_settle_window()
    {
        var state = Registered(("b", 2), ("a", 1));

        Assert.Equal(KeyTurnKind.WaitHere, OrderedKeyRules.Decide(state, "b", "t", T0 + Settle, Settle).Kind);
        var unsettled = OrderedKeyRules.Decide(state, "a", "t", T0 + TimeSpan.FromMilliseconds(400), Settle);
        Assert.Equal((KeyTurnKind.WaitHere, TimeSpan.FromMilliseconds(600)), (unsettled.Kind, unsettled.Wait));
        Assert.Equal(new KeyTurn(KeyTurnKind.Go, TimeSpan.Zero, false), OrderedKeyRules.Decide(state, "a", "t", T0 + Settle, Settle));
    }

    [Fact]
    public void A_head_in_flight_holds_its_key_and_its_finish_lets_the_next_go()
    {
        var now = T0 + Settle;
        var taken = OrderedKeyRules.Take(Registered(("a", 1), ("b", 2)), "a", "t1", now, Lease);

        Assert.Equal(KeyTurnKind.WaitHere, OrderedKeyRules.Decide(taken, "b", "t2", now, Settle).Kind);
        Assert.Equal(KeyTurnKind.WaitHere, OrderedKeyRules.Decide(taken, "a", "t3", now, Settle).Kind); // a second copy of a waits
        var finished = OrderedKeyRules.Finish(taken, "a", Order(1), now);
        Assert.Equal(Order(1), finished.Last);
        Assert.Equal(KeyTurnKind.Go, OrderedKeyRules.Decide(finished, "b", "t2", now, Settle).Kind);
    }

    [Fact]
    public void A_head_waiting_for_its_retry_hides_the_others_until_it_is_due_and_its_next_receipt_resumes_it()
    {
        var now = T0 + Settle;
        var due = now + TimeSpan.FromMinutes(5);
        var parked = OrderedKeyRules.Park(OrderedKeyRules.Take(Registered(("a", 1), ("b", 2)), "a", "t1", now, Lease), "a", due, now, Lease);

        Assert.Equal(new KeyTurn(KeyTurnKind.Hide, TimeSpan.FromMinutes(5), false), OrderedKeyRules.Decide(parked, "b", "t2", now, Settle));
        var back = OrderedKeyRules.Register(parked, [("a", Order(1))], due, Lease);
        Assert.Equal(KeyTurnKind.Go, OrderedKeyRules.Decide(back, "a", "t9", due, Settle).Kind);
    }

    [Fact]
    public void A_later_event_waits_for_an_older_one_that_is_hidden_until_it_comes_back()
    {
        var now = T0 + Settle;
        var state = OrderedKeyRules.Park(Registered(("a", 1), ("b", 2)), "a", now + TimeSpan.FromSeconds(30), now, Lease);

        Assert.Equal(KeyTurnKind.Hide, OrderedKeyRules.Decide(state, "b", "t", now, Settle).Kind);
        // Due back already but not yet received: hidden a short while, not waited for in process (the waiting workers
        // would be the ones that should receive it).
        Assert.Equal(new KeyTurn(KeyTurnKind.Hide, OrderedKeyRules.ShortestHide, false),
            OrderedKeyRules.Decide(state, "b", "t", now + TimeSpan.FromSeconds(31), Settle));
    }

    [Fact]
    public void A_crashed_workers_lease_expires_and_its_event_is_no_longer_in_the_way()
    {
        var now = T0 + Settle;
        var taken = OrderedKeyRules.Take(Registered(("a", 1), ("b", 2)), "a", "crashed", now, Lease);

        // b's worker keeps it registered (each receipt of its message refreshes its lease).
        var waiting = OrderedKeyRules.Register(taken, [("b", Order(2))], T0 + Lease, Lease);
        Assert.Equal(KeyTurnKind.WaitHere, OrderedKeyRules.Decide(waiting, "b", "t", now + Lease, Settle).Kind);
        var after = now + Lease + TimeSpan.FromMilliseconds(1);
        Assert.Equal(KeyTurnKind.Go, OrderedKeyRules.Decide(waiting, "b", "t", after, Settle).Kind);
        // The crashed event's message, back later, is registered afresh: older than what went, so late.
        var back = OrderedKeyRules.Register(OrderedKeyRules.Finish(waiting, "b", Order(2), after), [("a", Order(1))], after, Lease);
        Assert.Equal(KeyTurnKind.Register, OrderedKeyRules.Decide(taken, "a", "t", after, Settle).Kind);
        Assert.Equal(new KeyTurn(KeyTurnKind.Go, TimeSpan.Zero, true), OrderedKeyRules.Decide(back, "a", "t", after + Settle, Settle));
        Assert.DoesNotContain("b", back.Entries.Keys);
    }

    [Fact]
    public void Registering_again_keeps_the_first_registration_and_a_finish_never_lowers_the_last_order()
    {
        var state = Registered(("a", 5));
        var again = OrderedKeyRules.Register(state, [("a", Order(5))], T0 + TimeSpan.FromSeconds(10), Lease);

        Assert.Equal(T0, again.Entries["a"].RegisteredAt);
        Assert.Equal(T0 + TimeSpan.FromSeconds(10) + Lease, again.Entries["a"].Until);
        var finished = OrderedKeyRules.Finish(OrderedKeyRules.Finish(again, "a", Order(5), T0), "z", Order(3), T0);
        Assert.Equal(Order(5), finished.Last);
    }

    [Fact]
    public void The_keys_item_round_trips_and_expires_a_fortnight_after_its_last_lease()
    {
        var now = T0 + Settle;
        var state = OrderedKeyRules.Park(OrderedKeyRules.Take(Registered(("a", 1), ("b", 2)), "a", "t1", now, Lease), "a", now + TimeSpan.FromHours(2), now, Lease)
            with { Last = Order(0), Version = 7 };

        var item = DynamoDbOrderedKeyStore.ToItem("w1#key#abc", "w1", state, now);

        Assert.Equal(state.Entries.OrderBy(e => e.Key, StringComparer.Ordinal),
            DynamoDbOrderedKeyStore.FromItem(item).Entries.OrderBy(e => e.Key, StringComparer.Ordinal));
        Assert.Equal((Order(0), 7L), (DynamoDbOrderedKeyStore.FromItem(item).Last, DynamoDbOrderedKeyStore.FromItem(item).Version));
        Assert.Equal((now + TimeSpan.FromHours(2) + Lease + DynamoDbOrderedKeyStore.KeepFinished).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture), item["expiresAt"].N);
        Assert.Equal("w1", item["subscription"].S);
    }

    [Fact]
    public void A_key_is_scoped_by_subscription_and_publisher()
    {
        var id = DynamoDbOrderedKeyStore.ItemIdOf("w1", "shop", "customer-7");

        Assert.StartsWith("w1#key#", id);
        Assert.NotEqual(id, DynamoDbOrderedKeyStore.ItemIdOf("w1", "other", "customer-7"));
        Assert.NotEqual(id, DynamoDbOrderedKeyStore.ItemIdOf("w2", "shop", "customer-7"));
    }
}
