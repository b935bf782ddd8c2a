using System.Text;
using System.Text.Json;
using CsCheck;
using PubSub.Routing.Patterns;

namespace PubSub.UnitTests.Routing;

/// <summary>The grouped evaluation of the same-array-element rule agrees with <see cref="ReferenceMatcher"/>
/// on generated events: objects and arrays nested four deep, arrays of arrays, few member names and
/// values so that conditions meet often and in different elements.</summary>
public sealed class SameElementProperties
{
    internal static readonly string[] Patterns =
    [
        """{"a":{"x":[1],"y":[2]}}""",
        """{"a":{"x":[1],"y":[2],"z":[3]}}""",
        """{"a":{"x":[1],"b":{"y":[2],"z":[3]}}}""",
        """{"a":{"x":[1],"b":{"y":[2]},"c":{"z":[3]}}}""",
        """{"a":{"b":{"x":[1]},"c":{"x":[2]}}}""",
        """{"a":{"x":[1, "x"],"b":{"c":{"y":[2]}, "x":[{"numeric":[">",1]}]}}}""",
        """{"x":[1],"a":{"y":[2],"z":[{"anything-but":[3]}]}}""",
        """{"a":{"x":[1],"y":[{"exists":false}],"z":[3]}}""",
        """{"a":{"x":[{"exists":true}],"b":{"x":[1],"y":[true]}}}""",
        """{"a":{"x":[1]},"$or":[{"a":{"y":[2]}},{"a":{"b":{"y":[2]}}}]}""",
        """{"a":{"x":[1],"b":{"x":[2],"c":{"x":[3],"y":[null]}}}}""",
        """{"a":{"b":{"c":{"x":[1],"y":[2],"z":[3]}},"x":[{"prefix":"x"}]}}""",
    ];

    private static readonly string[] Names = ["a", "b", "c", "x", "y", "z"];

    private static readonly Gen<string> Scalar = Gen.OneOf(
        Gen.Const("1"), Gen.Const("2"), Gen.Const("3"), Gen.Const("\"x\""), Gen.Const("\"xy\""), Gen.Const("true"), Gen.Const("null"));

    private static Gen<string> Value(int depth) => depth == 0
        ? Scalar
        : Gen.Frequency(
            (2, Scalar),
            (3, Value(depth - 1).Array[0, 4].Select(items => "[" + string.Join(",", items) + "]")),
            (3, Gen.Select(Gen.Int[0, Names.Length - 1], Value(depth - 1)).Array[0, 5]
                .Select(members => "{" + string.Join(",", members.DistinctBy(m => m.Item1).Select(m => $"\"{Names[m.Item1]}\":{m.Item2}")) + "}")));

    /// <summary>A top-level object with the tested names, each holding up to four levels.</summary>
    internal static readonly Gen<string> Event = Gen.Select(Gen.Int[0, Names.Length - 1], Value(4)).Array[1, 4]
        .Select(members => "{" + string.Join(",", members.DistinctBy(m => m.Item1).Select(m => $"\"{Names[m.Item1]}\":{m.Item2}")) + "}");

    [Fact]
    public void Grouped_evaluation_agrees_with_the_reference_search_on_nested_arrays()
    {
        var compiled = Patterns.Select(p => PatternCompiler.Compile(JsonDocument.Parse(p).RootElement)).ToList();
        var reference = Patterns.Select(p => PatternCompiler.Compile(JsonDocument.Parse(p).RootElement)).ToList();
        var set = new PatternSet(compiled);
        Event.Sample(json =>
        {
            var matched = new bool[Patterns.Length];
            set.Match(Encoding.UTF8.GetBytes(json), matched);
            for (var i = 0; i < Patterns.Length; i++)
            {
                Assert.True(ReferenceMatcher.Matches(reference[i], json) == matched[i], $"pattern {Patterns[i]} on {json}: matcher says {matched[i]}");
            }
        }, iter: 5000);
    }

    [Fact]
    public void The_reference_agrees_with_the_documented_array_examples()
    {
        // The reference itself must get EventBridge's own examples right to be worth comparing with.
        var pattern = PatternCompiler.Compile(JsonDocument.Parse("""{"r":{"t":["b"],"x":{"y":[1]}}}""").RootElement);
        Assert.True(ReferenceMatcher.Matches(pattern, """{"r":[{"t":"b","x":[{"y":2},{"y":1}]}]}"""));
        Assert.False(ReferenceMatcher.Matches(pattern, """{"r":[{"t":"b","x":[{"y":2}]},{"t":"a","x":[{"y":1}]}]}"""));
        var employees = PatternCompiler.Compile(JsonDocument.Parse("""{"e":{"f":["Anna"],"l":["Jones"]}}""").RootElement);
        Assert.False(ReferenceMatcher.Matches(employees, """{"e":[[{"f":"John","l":"Doe"},{"f":"Anna","l":"Smith"}],[{"f":"Peter","l":"Jones"}]]}"""));
    }

    [Theory]
    [InlineData(3)]
    [InlineData(64)]
    [InlineData(70)]
    public void Conjunctions_of_any_width_are_met_only_within_one_element(int conditions)
    {
        // 64 conditions fill a mask; more take the search, bounded by the step budget.
        var fields = Enumerable.Range(0, conditions).Select(i => $"f{i}").ToArray();
        var pattern = PubSub.Routing.EventPattern.Parse("{\"a\":{" + string.Join(",", fields.Select(f => $"\"{f}\":[1]")) + "}}");
        string Element(IEnumerable<string> names) => "{" + string.Join(",", names.Select(f => $"\"{f}\":1")) + "}";
        var together = $"{{\"a\":[{Element(["g"])},{Element(fields)}]}}";
        var split = $"{{\"a\":[{Element(fields[..^1])},{Element(fields[^1..])}]}}";

        Assert.True(pattern.Matches(together));
        Assert.False(pattern.Matches(split));
    }
}
