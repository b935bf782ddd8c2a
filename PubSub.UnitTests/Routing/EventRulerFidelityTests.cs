using PubSub.Routing;

namespace PubSub.UnitTests.Routing;

/// <summary>The four places where this engine and aws/event-ruler (which EventBridge runs on) used to
/// disagree, each pinned to event-ruler's behaviour: CIDR prefix lengths, a field both beside and
/// inside <c>$or</c>, case folding whose upper case is longer, and numbers compared as doubles.</summary>
public sealed class EventRulerFidelityTests
{
    private static bool Matches(string pattern, string document) => EventPattern.Parse(pattern).Matches(document);

    [Theory]
    [InlineData("10.0.0.1/32", "IPv4 prefix length must be < 32")]
    [InlineData("2001:db8::1/128", "IPv6 prefix length must be < 128")]
    [InlineData("10.0.0.1", "one '/' and a prefix length are required")]
    [InlineData("10.0.0.0/-1", "must be a whole number")]
    public void Cidr_blocks_event_ruler_refuses_are_refused(string block, string reason)
    {
        var error = Assert.Throws<EventPatternException>(() => EventPattern.Parse($$"""{"ip":[{"cidr":"{{block}}"}]}"""));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.0.0.0/31", "\"10.0.0.1\"", true)]
    [InlineData("10.0.0.0/31", "\"10.0.0.2\"", false)]
    [InlineData("0.0.0.0/0", "\"203.0.113.9\"", true)]
    [InlineData("2001:db8::/127", "\"2001:db8::1\"", true)]
    [InlineData("::/0", "\"2001:db8::1\"", true)]
    public void The_widest_and_narrowest_blocks_event_ruler_accepts_still_match(string block, string value, bool expected) =>
        Assert.Equal(expected, Matches($$"""{"ip":[{"cidr":"{{block}}"}]}""", $$"""{"ip":{{value}}}"""));

    [Theory]
    // The branch's condition takes the place of the one beside the $or, for that branch only.
    [InlineData("""{"a":["x"],"$or":[{"a":["y"]},{"b":["z"]}]}""", """{"a":"y"}""", true)]
    [InlineData("""{"a":["x"],"$or":[{"a":["y"]},{"b":["z"]}]}""", """{"a":"x","b":"z"}""", true)]
    [InlineData("""{"a":["x"],"$or":[{"a":["y"]},{"b":["z"]}]}""", """{"a":"x"}""", false)]
    [InlineData("""{"a":["x"],"$or":[{"a":["y"]},{"b":["z"]}]}""", """{"a":"y","b":"q"}""", true)]
    [InlineData("""{"d":{"a":["x"]},"$or":[{"d":{"a":["y"]}},{"b":[1]}]}""", """{"d":{"a":"y"}}""", true)]
    [InlineData("""{"d":{"a":["x"],"$or":[{"a":["y"]},{"b":[1]}]}}""", """{"d":{"a":"y"}}""", true)]
    // Written after the $or, the outer field is the later one and wins in every branch.
    [InlineData("""{"$or":[{"a":["y"]},{"b":["z"]}],"a":["x"]}""", """{"a":"y"}""", false)]
    [InlineData("""{"$or":[{"a":["y"]},{"b":["z"]}],"a":["x"]}""", """{"a":"x"}""", true)]
    public void A_field_beside_and_inside_or_takes_the_later_condition(string pattern, string document, bool expected) =>
        Assert.Equal(expected, Matches(pattern, document));

    [Theory]
    [InlineData("""{"equals-ignore-case":"Straße"}""", "STRASSE", true)]
    [InlineData("""{"equals-ignore-case":"Straße"}""", "straße", true)]
    [InlineData("""{"equals-ignore-case":"Straße"}""", "sTRAßE", true)]
    [InlineData("""{"equals-ignore-case":"Straße"}""", "strasse", false)] // lower ss is not a case of ß
    [InlineData("""{"equals-ignore-case":"STRASSE"}""", "Straße", false)] // the event is never folded
    [InlineData("""{"equals-ignore-case":"Straße"}""", "STRASSEN", false)] // the whole value, not a prefix
    [InlineData("""{"equals-ignore-case":"Straße"}""", "STRAS", false)]
    [InlineData("""{"equals-ignore-case":"Straße"}""", "STRAßSSE", false)] // each operand unit is spelled once
    [InlineData("""{"equals-ignore-case":"Straße"}""", "STRASSßE", false)]
    [InlineData("""{"prefix":{"equals-ignore-case":"Straße"}}""", "STRAS", false)]
    [InlineData("""{"prefix":{"equals-ignore-case":"Straße"}}""", "XSTRASSE", false)]
    [InlineData("""{"suffix":{"equals-ignore-case":"fuß"}}""", "FUSS", true)]
    [InlineData("""{"suffix":{"equals-ignore-case":"fuß"}}""", "USS", false)]
    [InlineData("""{"suffix":{"equals-ignore-case":"fuß"}}""", "KLUMPXUSS", false)] // every unit, the first too
    [InlineData("""{"suffix":{"equals-ignore-case":"fuß"}}""", "KLUMPFUSSE", false)]
    [InlineData("""{"suffix":{"equals-ignore-case":"fuß"}}""", "FUSSß", false)]
    [InlineData("""{"suffix":{"equals-ignore-case":"fuß"}}""", "FUßSS", false)]
    [InlineData("""{"prefix":{"equals-ignore-case":"Straße"}}""", "STRASSENBAHN", true)]
    [InlineData("""{"suffix":{"equals-ignore-case":"fuß"}}""", "KLUMPFUSS", true)]
    [InlineData("""{"suffix":{"equals-ignore-case":"fuß"}}""", "KLUMPFUS", false)]
    [InlineData("""{"equals-ignore-case":"ǅ"}""", "ǅ", false)] // title case: neither its lower nor upper
    [InlineData("""{"equals-ignore-case":"ǅ"}""", "Ǆ", true)]
    [InlineData("""{"equals-ignore-case":"ı"}""", "I", true)] // Java's upper case of the dotless i
    [InlineData("""{"equals-ignore-case":"\u212A"}""", "k", true)] // Kelvin sign: lower k, upper itself
    [InlineData("""{"equals-ignore-case":"k"}""", "\\u212A", false)]
    [InlineData("""{"equals-ignore-case":"İ"}""", "i̇", true)] // lower case is i + combining dot
    [InlineData("""{"equals-ignore-case":"😀"}""", "??", true)] // each surrogate half encodes as '?'
    [InlineData("""{"equals-ignore-case":"😀"}""", "😀", false)]
    [InlineData("""{"equals-ignore-case":"ÉTÉ"}""", "été", true)]
    [InlineData("""{"anything-but":{"equals-ignore-case":"Straße"}}""", "STRASSE", false)]
    public void Ignore_case_folds_the_operand_as_java_does_and_leaves_the_event_alone(string matcher, string value, bool expected) =>
        Assert.Equal(expected, Matches($$"""{"v":[{{matcher}}]}""", $$"""{"v":"{{value}}"}"""));

    [Theory]
    // Differences after the sixth decimal count: 0.1234567 and 0.1234568 are different numbers.
    [InlineData("""[{"numeric":["=",0.1234567]}]""", "0.1234568", false)]
    [InlineData("""[0.1234567]""", "0.1234568", false)]
    [InlineData("""[{"anything-but":[0.1234567]}]""", "0.1234568", true)]
    [InlineData("""[{"numeric":[">",5]}]""", "5.0000001", true)]
    // Numbers that are the same double are equal, however written.
    [InlineData("""[{"numeric":["=",0.1234567]}]""", "1.234567e-1", true)]
    [InlineData("""[1]""", "1.0000000000000001", true)]
    // No ±5.0e9 limit: bounds and values over the whole double range.
    [InlineData("""[{"numeric":[">",5e9]}]""", "6e9", true)]
    [InlineData("""[{"numeric":["<",-1e300]}]""", "-2e300", true)]
    [InlineData("""[123456789012]""", "123456789012", true)]
    [InlineData("""[123456789012]""", "123456789013", false)]
    public void Numbers_compare_as_doubles(string values, string value, bool expected) =>
        Assert.Equal(expected, Matches($$"""{"v":{{values}}}""", $$"""{"v":{{value}}}"""));

    [Fact]
    public void No_units_two_spellings_start_or_end_one_inside_the_other()
    {
        // The ignore-case comparison takes the first spelling that fits, without backtracking; that is
        // exact only while this holds for every UTF-16 unit.
        for (var c = char.MinValue; c < char.MaxValue; c++)
        {
            var spellings = PubSub.Routing.Patterns.JavaCaseMapping.Spellings(c);
            if (spellings.Length == 2)
            {
                var (shorter, longer) = spellings[0].Length <= spellings[1].Length ? (spellings[0], spellings[1]) : (spellings[1], spellings[0]);
                Assert.False(longer.AsSpan().StartsWith(shorter) || longer.AsSpan().EndsWith(shorter), $"U+{(int)c:X4}");
            }
        }
    }
}
