using System.Text;
using System.Text.Json;
using PubSub.Routing.Patterns;

namespace PubSub.UnitTests.Routing;

/// <summary>The work of the same-array-element rule grows with the event, not with its square: counted
/// in the matcher's own steps, never timed.</summary>
public sealed class SameElementWorkTests
{
    /// <summary>Steps per leaf read that a linear evaluation may take for a three-condition route.</summary>
    private const int StepsPerLeaf = 16;

    public static TheoryData<string, string> HostileEvents() => new()
    {
        { HostileArrayEvents.FlatPattern, HostileArrayEvents.Flat(6_400) },
        { HostileArrayEvents.NestedPattern, HostileArrayEvents.Nested(64, 64) },
        { HostileArrayEvents.DeepPattern, HostileArrayEvents.Deep(16) },
    };

    [Theory]
    [MemberData(nameof(HostileEvents))]
    public void Three_conditions_in_one_array_element_take_work_linear_in_the_event(string pattern, string document)
    {
        var set = new PatternSet([PatternCompiler.Compile(JsonDocument.Parse(pattern).RootElement)]);
        var matched = new bool[1];

        var count = set.Match(Encoding.UTF8.GetBytes(document), matched, stepBudget: long.MaxValue);

        var state = MatchState.Current;
        Assert.Equal(0, count);
        Assert.True(state.Steps <= StepsPerLeaf * state.LeafCount,
            $"{state.Steps:N0} steps for {state.LeafCount:N0} leaves (at most {StepsPerLeaf * state.LeafCount:N0} allowed)");
    }
}
