using System.Text;
using System.Text.Json;
using PubSub.Routing;

namespace PubSub.UnitTests.Routing;

/// <summary>Events and patterns larger than the matcher's starting buffers (many values on one path, long
/// strings, deep arrays, many fields, many conditions inside array elements) route exactly as small ones,
/// and nothing read from one event is seen by the next.</summary>
public sealed class LargeEventTests
{
    private static bool Matches(string pattern, string document) => EventPattern.Parse(pattern).Matches(document);

    private static JsonElement Pattern(string json) => JsonDocument.Parse(json).RootElement;

    private static string Strings(IEnumerable<string> values) => string.Join(",", values.Select(v => $"\"{v}\""));

    [Theory]
    [InlineData(299, true)]
    [InlineData(-1, false)]
    public void A_value_among_hundreds_on_one_path_is_found(int position, bool expected)
    {
        var values = Enumerable.Range(0, 300).Select(i => i == position ? "wanted" : $"other{i}");

        Assert.Equal(expected, Matches("""{"tags":["wanted"]}""", $$"""{"tags":[{{Strings(values)}}]}"""));
    }

    [Fact]
    public void Long_strings_are_compared_in_full()
    {
        var head = new string('a', 5_000);
        var tail = new string('z', 3_000);
        var pattern = $$"""{"a":["{{head}}"],"b":[{"suffix":"{{tail}}!"}]}""";

        Assert.True(Matches(pattern, $$"""{"a":"{{head}}","b":"{{head}}{{tail}}!"}"""));
        Assert.False(Matches(pattern, $$"""{"a":"{{head}}","b":"{{head}}{{tail}}?"}"""));
        Assert.False(Matches(pattern, $$"""{"a":"{{head}}b","b":"{{tail}}!"}"""));
    }

    [Theory]
    [InlineData("x", true)]
    [InlineData("y", false)]
    public void A_value_inside_deeply_nested_arrays_is_found(string value, bool expected)
    {
        const int depth = 40;
        var document = $$"""{"v":{{new string('[', depth)}}"{{value}}"{{new string(']', depth)}}}""";

        Assert.Equal(expected, Matches("""{"v":["x"]}""", document));
    }

    [Fact]
    public void A_pattern_with_a_hundred_fields_needs_each_of_them()
    {
        var fields = Enumerable.Range(0, 100).Select(i => $"f{i}").ToArray();
        var pattern = "{" + string.Join(",", fields.Select(f => $$"""
            "{{f}}":["{{f}}"]
            """)) + "}";
        string Event(Func<string, string> value) => "{" + string.Join(",", fields.Select(f => $"\"{f}\":\"{value(f)}\"")) + "}";

        Assert.True(Matches(pattern, Event(f => f)));
        Assert.False(Matches(pattern, Event(f => f == "f73" ? "other" : f)));
        Assert.False(Matches(pattern, Event(f => f).Replace("\"f99\":\"f99\"", "\"g99\":\"f99\"", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_long_member_name_written_with_escapes_is_the_same_name()
    {
        var name = new string('n', 400);
        var escaped = @"\u006E" + name[1..];

        Assert.True(Matches($$"""{"{{name}}":["x"]}""", $$"""{"{{escaped}}":"x"}"""));
        Assert.False(Matches($$"""{"{{name}}":["x"]}""", $$"""{"{{escaped}}n":"x"}"""));
    }

    [Theory]
    [InlineData("", true)]
    [InlineData("B", false)]
    public void Equals_ignore_case_compares_long_values_in_full(string extra, bool expected)
    {
        var operand = new string('a', 600);

        Assert.Equal(expected, Matches($$"""{"v":[{"equals-ignore-case":"{{operand}}"}]}""", $$"""{"v":"{{operand.ToUpperInvariant()}}{{extra}}"}"""));
    }

    [Theory]
    [InlineData(99, true)]
    [InlineData(-1, false)]
    public void Fields_in_one_element_among_a_hundred_come_from_the_same_element(int wanted, bool expected)
    {
        // Every element holds one of the two values; only element `wanted` holds both.
        var elements = Enumerable.Range(0, 100).Select(i => i == wanted
            ? """{"t":"b","id":"2"}"""
            : i % 2 == 0 ? """{"t":"b","id":"1"}""" : """{"t":"a","id":"2"}""");

        Assert.Equal(expected, Matches("""{"r":{"t":["b"],"id":["2"]}}""", $$"""{"r":[{{string.Join(",", elements)}}]}"""));
    }

    public static TheoryData<int> ConditionCounts() => [10, 64, 70];

    /// <summary>The same-element rule holds however many conditions a route sets inside array elements,
    /// beyond the 64 the matcher groups with bit masks too.</summary>
    [Theory]
    [MemberData(nameof(ConditionCounts))]
    public void Many_conditions_in_array_elements_must_all_hold_in_one_element(int conditions)
    {
        var fields = Enumerable.Range(0, conditions).Select(i => $"f{i}").ToArray();
        var pattern = """{"r":{""" + string.Join(",", fields.Select(f => $"\"{f}\":[\"y\"]")) + "}}";
        string Element(Func<string, bool> holds) => "{" + string.Join(",", fields.Select(f => $"\"{f}\":\"{(holds(f) ? "y" : "n")}\"")) + "}";

        // Each element misses one condition that the other meets: every condition is met somewhere, never all in one.
        var split = $$"""{"r":[{{Element(f => f != "f0")}},{{Element(f => f == "f0")}}]}""";
        var whole = $$"""{"r":[{{Element(f => f != "f0")}},{{Element(_ => true)}}]}""";

        Assert.False(Matches(pattern, split));
        Assert.True(Matches(pattern, whole));
    }

    [Fact]
    public void Routes_with_many_conditions_in_array_elements_are_decided_each_on_its_own()
    {
        // Each route sets 70 conditions inside "r"; one is met in the first element, the other in the second.
        static string Fields(string name, string value) =>
            "{" + string.Join(",", Enumerable.Range(0, 70).Select(i => $"\"{name}{i}\":{value}")) + "}";
        var set = new EventPatternSet(
            [Pattern($$"""{"r":{{Fields("f", "[\"y\"]")}}}"""), Pattern($$"""{"r":{{Fields("g", "[\"y\"]")}}}""")],
            i => $"p{i}");
        var first = Fields("f", "\"y\"")[..^1] + "," + Fields("g", "\"n\"")[1..];
        var second = Fields("f", "\"n\"")[..^1] + "," + Fields("g", "\"y\"")[1..];
        var document = $$"""{"r":[{{first}},{{second}}]}""";
        var matched = new bool[2];

        var hits = set.Match(Encoding.UTF8.GetBytes(document), matched);

        Assert.Equal(2, hits);
        Assert.Equal([true, true], matched);
    }

    [Fact]
    public void Nothing_read_from_one_event_is_seen_by_the_next()
    {
        var pattern = EventPattern.Parse("""{"a":["x"],"r":{"t":["b"],"id":["2"]}}""");

        Assert.True(pattern.Matches("""{"a":"x","r":[{"t":"b","id":"2"}]}"""));
        Assert.False(pattern.Matches("""{"b":"x","r":[{"t":"b","id":"2"}]}"""));
        Assert.False(pattern.Matches("""{"a":"x","r":[{"t":"b"},{"id":"2"}]}"""));
        Assert.False(pattern.Matches("""{"a":"x"}"""));
        Assert.True(pattern.Matches("""{"r":{"t":"b","id":"2"},"a":"x"}"""));
    }
}
