using System.Text;
using System.Text.Json;
using CsCheck;
using PubSub.Routing;

namespace PubSub.UnitTests.Routing;

/// <summary>The explainer, a separate evaluator, gives the router's verdict on generated events (the
/// same-element generators), and says which condition failed and which <c>$or</c> branch held.</summary>
public sealed class PatternExplainerTests
{
    private static readonly string[] MorePatterns =
    [
        """{"x":[{"prefix":"x"}],"$or":[{"a":{"x":[1]}},{"a":{"y":[{"exists":false}]}}]}""",
        """{"a":{"x":[{"anything-but":[1,2]}],"b":{"y":[{"numeric":[">=",2]}]}}}""",
        """{"a":{"x":[1]},"$or":[{"a":{"x":[2]}},{"b":[{"exists":true}]}]}""",
        """{"z":[{"equals-ignore-case":"XY"}],"y":[{"wildcard":"x*"}]}""",
    ];

    private static PatternExplanation Explain(string pattern, string json)
    {
        using var document = JsonDocument.Parse(pattern);
        return EventPattern.Explain(document.RootElement, Encoding.UTF8.GetBytes(json));
    }

    /// <summary>An escaped lone surrogate is well-formed to the JSON reader, which throws InvalidOperationException when it
    /// unescapes it; both evaluators report it as the JsonException their contract names.</summary>
    [Theory]
    [InlineData("""{"a":["x"]}""", """{"a":"\ud800"}""")]
    [InlineData("""{"a":[{"anything-but":"x"}]}""", """{"a":"\udc00"}""")]
    public void A_lone_surrogate_escape_is_an_unreadable_event_to_the_router_and_the_explainer(string pattern, string json)
    {
        Assert.Throws<JsonException>(() => EventPattern.Parse(pattern).Matches(json));
        Assert.ThrowsAny<JsonException>(() => Explain(pattern, json));
    }

    /// <summary>Every value is tested, but an explanation shows the first few, each cut short: an event of 4,096 array
    /// elements or a 100 KiB string gives a few lines, not megabytes.</summary>
    [Fact]
    public void The_values_seen_are_capped_in_number_and_length_and_the_rest_counted()
    {
        var values = string.Join(",", Enumerable.Range(0, 25).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
        var many = Explain("""{"a":[24]}""", $$"""{"a":[{{values}}]}""");
        var longText = new string('x', 197) + "\ud83d\ude00" + new string('y', 1000); // an emoji astride the cut
        var one = Explain("""{"a":["z"]}""", $$"""{"a":"{{longText}}"}""");

        var condition = many.Branches[0].Conditions[0];
        Assert.True(condition.Held); // the 25th value, beyond those shown, still counts
        Assert.Equal(["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"], condition.Values);
        Assert.Equal(15, condition.ValuesNotShown);
        var shown = Assert.Single(one.Branches[0].Conditions[0].Values);
        Assert.True(shown.Length <= ConditionExplanation.MaxValueChars, shown.Length.ToString(System.Globalization.CultureInfo.InvariantCulture));
        Assert.EndsWith("…", shown, StringComparison.Ordinal);
        Assert.StartsWith("\"xxx", shown, StringComparison.Ordinal);
        Assert.Equal(0, one.Branches[0].Conditions[0].ValuesNotShown);
    }

    [Fact]
    public void The_explainers_verdict_is_the_routers_on_generated_events()
    {
        string[] patterns = [.. SameElementProperties.Patterns, .. MorePatterns];
        var compiled = patterns.Select(EventPattern.Parse).ToArray();
        SameElementProperties.Event.Sample(json =>
        {
            for (var i = 0; i < patterns.Length; i++)
            {
                var routed = compiled[i].Matches(json);
                Assert.True(Explain(patterns[i], json).Matched == routed, $"pattern {patterns[i]} on {json}: router says {routed}");
            }
        }, iter: 3000);
    }

    [Fact]
    public void A_miss_names_the_first_condition_that_failed_with_the_values_seen()
    {
        var explanation = Explain("""{"type":[{"prefix":"order."}],"data":{"total":[{"numeric":[">",100]}]},"source":["shop"]}""",
            """{"type":"order.created","data":{"total":[40,99]},"source":"crm"}""");

        Assert.False(explanation.Matched);
        var branch = Assert.Single(explanation.Branches);
        Assert.Equal(["type", "data.total", "source"], branch.Conditions.Select(c => c.Field));
        Assert.True(branch.Conditions[0].Held);
        Assert.Equal(["\"order.created\""], branch.Conditions[0].Values);
        Assert.Equal("data.total", branch.FirstFailed?.Field);
        Assert.Equal(["40", "99"], branch.FirstFailed!.Values);
        Assert.Equal("""[{"numeric":[">",100]}]""", branch.FirstFailed.Condition);
    }

    [Fact]
    public void Or_says_which_branch_matched()
    {
        var explanation = Explain("""{"$or":[{"a":[1]},{"b":[2]}]}""", """{"b":2}""");

        Assert.True(explanation.Matched);
        Assert.Equal(1, explanation.MatchedBranch);
        Assert.False(explanation.Branches[0].Matched);
        Assert.Empty(explanation.Branches[0].FirstFailed!.Values);
    }

    [Fact]
    public void An_event_whose_arrays_are_too_large_to_search_is_refused_with_the_reason()
    {
        // Every "a" pairs with one "b" of 1,100 in its element, and no such pair with the "c" of another
        // element: the explainer's plain search tries over a million combinations and gives up.
        var elements = string.Join(",", Enumerable.Repeat("""{"a":1,"b":1}""", 1_100));
        var json = $$"""{"r":[{{elements}},{"c":1}]}""";

        var error = Assert.Throws<EventPatternException>(() => Explain("""{"r":{"a":[1],"b":[1],"c":[1]}}""", json));

        Assert.Contains("too large to explain", error.Message, StringComparison.Ordinal);
        Assert.False(EventPattern.Parse("""{"r":{"a":[1],"b":[1],"c":[1]}}""").Matches(json)); // the router decides it
    }

    [Fact]
    public void Values_from_different_array_elements_are_named_as_the_reason()
    {
        var explanation = Explain("""{"r":{"t":["a"],"id":["2"]}}""", """{"r":[{"t":"a","id":"1"},{"t":"b","id":"2"}]}""");

        Assert.False(explanation.Matched);
        Assert.All(explanation.Branches[0].Conditions, c => Assert.True(c.Held));
        Assert.Contains("different elements", explanation.Branches[0].Note, StringComparison.Ordinal);
    }
}
