using System.Text;
using System.Text.Json;
using PubSub.Routing;

namespace PubSub.UnitTests.Routing;

/// <summary>The pattern engine's public surface for many patterns, as PubSub.Core's router uses it.</summary>
public sealed class EventPatternSetTests
{
    private static JsonElement Pattern(string json) => JsonDocument.Parse(json).RootElement;

    [Fact]
    public void Each_pattern_is_reported_at_its_own_position()
    {
        var set = new EventPatternSet([Pattern("""{"type":["a"]}"""), Pattern("""{"type":["b"]}"""), Pattern("""{"type":[{"prefix":""}]}""")], i => $"p{i}");
        Span<bool> matched = stackalloc bool[set.Count];

        var hits = set.Match(Encoding.UTF8.GetBytes("""{"type":"b"}"""), matched);

        Assert.Equal(3, set.Count);
        Assert.Equal(2, hits);
        Assert.Equal([false, true, true], matched.ToArray());
    }

    [Fact]
    public void An_invalid_pattern_is_refused_with_its_name_in_front_of_the_reason()
    {
        var error = Assert.Throws<EventPatternException>(() =>
            new EventPatternSet([Pattern("""{"type":["a"]}"""), Pattern("""{"type":"not-an-array"}""")], i => $"Route 'r{i}'"));

        Assert.StartsWith("Route 'r1': ", error.Message, StringComparison.Ordinal);
        Assert.IsType<EventPatternException>(error.InnerException);
    }

    [Fact]
    public void Matching_stops_at_the_budget_given_and_the_default_budget_is_the_routers()
    {
        var set = new EventPatternSet([Pattern(HostileArrayEvents.FlatPattern)], i => $"p{i}");
        var matched = new bool[1];

        var error = Assert.Throws<RoutingBudgetExceededException>(() => set.Match(Encoding.UTF8.GetBytes(HostileArrayEvents.Flat(1_000)), matched, stepBudget: 1_000));

        Assert.Equal(1_000, error.Budget);
        Assert.Equal(EventRouter.MaxStepsPerEvent, EventPatternSet.DefaultStepBudget);
    }
}
