using System.Text;
using System.Text.Json;
using PubSub.Definition;
using PubSub.Routing;

namespace PubSub.UnitTests.Routing;

/// <summary>The step budget per event: a backstop that stops routing an event that would take too much
/// work, and that ordinary and hostile events within the ingestion limits never reach.</summary>
public sealed class RoutingBudgetTests
{
    /// <summary>The ingestion limit on array elements per event (EventLimits.MaxArrayElements).</summary>
    private const int MaxArrayElements = 4096;

    private static SystemDefinition Definition(params string[] patterns) => new()
    {
        Name = "t",
        Events = new EventStoreDefinition("events", 7, "archive"),
        DeadLetterQueues = new DeadLetterQueuesDefinition("in", "out"),
        Topics = [new TopicDefinition("t")],
        Routes = [.. patterns.Select((p, i) => new RouteDefinition($"r{i}", JsonDocument.Parse(p).RootElement, ["t"]))],
    };

    [Fact]
    public void An_event_that_needs_more_steps_than_the_budget_is_refused_with_an_exception_naming_the_budget()
    {
        var router = new EventRouter(Definition(HostileArrayEvents.FlatPattern), stepBudget: 1_000);

        var error = Assert.Throws<RoutingBudgetExceededException>(() => router.Route(Encoding.UTF8.GetBytes(HostileArrayEvents.Flat(1_000))));

        Assert.Equal(1_000, error.Budget);
        Assert.Contains("budget of 1,000 steps", error.Message, StringComparison.Ordinal);
        Assert.Contains(nameof(EventRouter.MaxStepsPerEvent), error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_budget_applies_to_each_event_afresh()
    {
        var router = new EventRouter(Definition(HostileArrayEvents.FlatPattern), stepBudget: 1_000);
        Assert.Throws<RoutingBudgetExceededException>(() => router.Route(Encoding.UTF8.GetBytes(HostileArrayEvents.Flat(1_000))));

        var decision = router.Route(Encoding.UTF8.GetBytes("""{"data":{"a":[{"x":1,"y":2,"z":3}]}}"""));

        Assert.Equal(["r0"], decision.MatchedRoutes);
    }

    public static TheoryData<string, string> HostileEventsWithinTheLimits() => new()
    {
        { HostileArrayEvents.FlatPattern, HostileArrayEvents.Flat(MaxArrayElements) },
        { HostileArrayEvents.NestedPattern, HostileArrayEvents.Nested(63, 63) },
        { HostileArrayEvents.DeepPattern, HostileArrayEvents.Deep(15) },
    };

    [Theory]
    [MemberData(nameof(HostileEventsWithinTheLimits))]
    public void Hostile_events_within_the_ingestion_limits_stay_under_the_default_budget(string pattern, string document)
    {
        var router = new EventRouter(Definition(pattern, """{"type":["t"]}""", """{"data":{"a":{"x":[1]}}}"""));

        var decision = router.Route(Encoding.UTF8.GetBytes(document));

        Assert.Equal(["r1", "r2"], decision.MatchedRoutes);
    }
}
