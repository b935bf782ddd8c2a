using PubSub.Routing;

namespace PubSub.UnitTests.Routing;

/// <summary>The pattern language against small hand-made events: each operator's edges, types,
/// arrays, escapes and the refusals.</summary>
public sealed class EventPatternTests
{
    private static bool Matches(string pattern, string document) => EventPattern.Parse(pattern).Matches(document);

    [Theory]
    [InlineData("""{"type":["order.created"]}""", """{"type":"order.created"}""", true)]
    [InlineData("""{"type":["order.created"]}""", """{"type":"order.created.v2"}""", false)]
    [InlineData("""{"type":["a","order.created"]}""", """{"type":"order.created"}""", true)]
    [InlineData("""{"type":["order.created"]}""", """{"type":"order\u002ecreated"}""", true)]
    [InlineData("""{"data":{"status":["paid"]}}""", """{"data":{"status":"paid","total":3}}""", true)]
    [InlineData("""{"data":{"status":["paid"]}}""", """{"data":"paid"}""", false)]
    [InlineData("""{"data":{"tags":["vip"]}}""", """{"data":{"tags":["new","vip"]}}""", true)]
    [InlineData("""{"data":{"total":[300]}}""", """{"data":{"total":300.0}}""", true)]
    [InlineData("""{"data":{"total":[300]}}""", """{"data":{"total":3.0e2}}""", true)]
    [InlineData("""{"data":{"total":[300]}}""", """{"data":{"total":"300"}}""", false)]
    [InlineData("""{"data":{"total":["300"]}}""", """{"data":{"total":300}}""", false)]
    [InlineData("""{"data":{"ok":[true]}}""", """{"data":{"ok":true}}""", true)]
    [InlineData("""{"data":{"ok":[true]}}""", """{"data":{"ok":false}}""", false)]
    [InlineData("""{"data":{"ok":[true]}}""", """{"data":{"ok":"true"}}""", false)]
    [InlineData("""{"data":{"gone":[null]}}""", """{"data":{"gone":null}}""", true)]
    [InlineData("""{"data":{"gone":[null]}}""", """{"data":{}}""", false)]
    [InlineData("""{"type":["order.created"],"source":["shop"]}""", """{"type":"order.created","source":"crm"}""", false)]
    [InlineData("""{"a":{"b":{"c":[1]}}}""", """{"a":{"b":{"c":1}}}""", true)]
    [InlineData("""{"a":{"b":{"c":[1]}}}""", """{"a":{"b":[{"c":2},{"c":1}]}}""", true)]
    [InlineData("""{"a":{"b":{"c":[1]}}}""", """{"a":[{"b":{"c":1}}]}""", true)]
    [InlineData("""{"tags":["x"]}""", """{"tags":[["y"],["x"]]}""", true)]
    [InlineData("""{"tags":["x"]}""", """{"tags":[]}""", false)]
    public void Exact_values_nesting_and_arrays(string pattern, string document, bool expected) =>
        Assert.Equal(expected, Matches(pattern, document));

    [Theory]
    [InlineData("""{"v":[{"prefix":"ab"}]}""", "\"abc\"", true)]
    [InlineData("""{"v":[{"prefix":"ab"}]}""", "\"xabc\"", false)]
    [InlineData("""{"v":[{"prefix":""}]}""", "\"\"", true)]
    [InlineData("""{"v":[{"prefix":"1"}]}""", "12", false)]
    [InlineData("""{"v":[{"suffix":".png"}]}""", "\"a.png\"", true)]
    [InlineData("""{"v":[{"suffix":".png"}]}""", "\"a.PNG\"", false)]
    [InlineData("""{"v":[{"suffix":{"equals-ignore-case":".png"}}]}""", "\"a.PNG\"", true)]
    [InlineData("""{"v":[{"prefix":{"equals-ignore-case":"Straße"}}]}""", "\"STRASSE\"", true)]
    [InlineData("""{"v":[{"prefix":{"equals-ignore-case":"ÉTÉ"}}]}""", "\"été 2026\"", true)]
    [InlineData("""{"v":[{"equals-ignore-case":"alice"}]}""", "\"ALICE\"", true)]
    [InlineData("""{"v":[{"equals-ignore-case":"alice"}]}""", "\"alicia\"", false)]
    [InlineData("""{"v":[{"equals-ignore-case":"alice"}]}""", "\"ALIC\"", false)]
    [InlineData("""{"v":[{"prefix":{"equals-ignore-case":"abc"}}]}""", "\"ABC\"", true)]
    [InlineData("""{"v":[{"prefix":{"equals-ignore-case":"abc"}}]}""", "\"AbCdE\"", true)]
    [InlineData("""{"v":[{"prefix":{"equals-ignore-case":"abc"}}]}""", "\"AB\"", false)]
    [InlineData("""{"v":[{"prefix":{"equals-ignore-case":"abc"}}]}""", "\"xABC\"", false)]
    [InlineData("""{"v":[{"suffix":{"equals-ignore-case":".png"}}]}""", "\".PNG\"", true)]
    [InlineData("""{"v":[{"suffix":{"equals-ignore-case":".png"}}]}""", "\"PNG\"", false)]
    [InlineData("""{"v":[{"suffix":{"equals-ignore-case":".png"}}]}""", "\"a.PNGx\"", false)]
    [InlineData("""{"v":[{"suffix":{"equals-ignore-case":".png"}}]}""", "5", false)]
    [InlineData("""{"v":[{"prefix":{"equals-ignore-case":"5"}}]}""", "5", false)]
    [InlineData("""{"v":[{"equals-ignore-case":"5"}]}""", "5", false)]
    [InlineData("""{"v":[{"wildcard":"a*c"}]}""", "\"abbbc\"", true)]
    [InlineData("""{"v":[{"wildcard":"a*c"}]}""", "\"ac\"", true)]
    [InlineData("""{"v":[{"wildcard":"a*c"}]}""", "\"acb\"", false)]
    [InlineData("""{"v":[{"wildcard":"*"}]}""", "\"anything\"", true)]
    [InlineData("""{"v":[{"wildcard":"*"}]}""", "1", false)]
    [InlineData("""{"v":[{"wildcard":"a*b*a"}]}""", "\"aba\"", true)]
    [InlineData("""{"v":[{"wildcard":"a*b*a"}]}""", "\"ab\"", false)]
    [InlineData("""{"v":[{"wildcard":"*ab*ab"}]}""", "\"xabyab\"", true)]
    [InlineData("""{"v":[{"wildcard":"a\\*b"}]}""", "\"a*b\"", true)]
    [InlineData("""{"v":[{"wildcard":"a\\*b"}]}""", "\"axb\"", false)]
    [InlineData("""{"v":[{"wildcard":"a\\\\b"}]}""", "\"a\\\\b\"", true)]
    [InlineData("""{"v":[{"wildcard":""}]}""", "\"\"", true)]
    [InlineData("""{"v":[{"wildcard":""}]}""", "\"x\"", false)]
    [InlineData("""{"v":[{"wildcard":"abc"}]}""", "\"abc\"", true)]
    [InlineData("""{"v":[{"wildcard":"abc"}]}""", "\"abcd\"", false)]
    [InlineData("""{"v":[{"wildcard":"a*"}]}""", "\"a\"", true)]
    [InlineData("""{"v":[{"wildcard":"a*"}]}""", "\"ba\"", false)]
    [InlineData("""{"v":[{"wildcard":"*abc"}]}""", "\"xabc\"", true)]
    [InlineData("""{"v":[{"wildcard":"*abc"}]}""", "\"abcx\"", false)]
    [InlineData("""{"v":[{"wildcard":"*a*"}]}""", "\"bab\"", true)]
    [InlineData("""{"v":[{"wildcard":"*a*"}]}""", "\"bbb\"", false)]
    [InlineData("""{"v":[{"wildcard":"a*bc*"}]}""", "\"abcx\"", true)]
    [InlineData("""{"v":[{"wildcard":"a*bc*"}]}""", "\"abx\"", false)]
    [InlineData("""{"v":[{"wildcard":"ab*ba"}]}""", "\"abba\"", true)]
    [InlineData("""{"v":[{"wildcard":"ab*ba"}]}""", "\"aba\"", false)] // the text before and after the star may not overlap
    [InlineData("""{"v":[{"wildcard":"\\*"}]}""", "\"*\"", true)]
    [InlineData("""{"v":[{"wildcard":"\\*"}]}""", "\"x\"", false)]
    [InlineData("""{"v":[{"wildcard":"a*c"}]}""", "5", false)]
    [InlineData("""{"v":[{"suffix":"2"}]}""", "12", false)]
    public void String_operators(string pattern, string value, bool expected) =>
        Assert.Equal(expected, Matches(pattern, $$"""{"v":{{value}}}"""));

    [Theory]
    [InlineData("""[{"anything-but":"a"}]""", "\"b\"", true)]
    [InlineData("""[{"anything-but":"a"}]""", "\"a\"", false)]
    [InlineData("""[{"anything-but":"a"}]""", "1", true)]
    [InlineData("""[{"anything-but":"a"}]""", "null", true)]
    [InlineData("""[{"anything-but":"a"}]""", "[\"a\",\"b\"]", true)]
    [InlineData("""[{"anything-but":"a"}]""", "[\"a\"]", false)]
    [InlineData("""[{"anything-but":["a","b"]}]""", "\"b\"", false)]
    [InlineData("""[{"anything-but":[1,2]}]""", "2.0", false)]
    [InlineData("""[{"anything-but":[1,2]}]""", "3", true)]
    [InlineData("""[{"anything-but":[1,2]}]""", "\"1\"", true)]
    [InlineData("""[{"anything-but":{"prefix":"us-"}}]""", "\"us-east-1\"", false)]
    [InlineData("""[{"anything-but":{"prefix":"us-"}}]""", "\"eu-west-1\"", true)]
    [InlineData("""[{"anything-but":{"suffix":".png"}}]""", "\"a.png\"", false)]
    [InlineData("""[{"anything-but":{"equals-ignore-case":["Stopped","overloaded"]}}]""", "\"STOPPED\"", false)]
    [InlineData("""[{"anything-but":{"equals-ignore-case":"stopped"}}]""", "\"running\"", true)]
    [InlineData("""[{"anything-but":{"wildcard":["*/lib/*","*/bin/*"]}}]""", "\"/usr/bin/env\"", false)]
    [InlineData("""[{"anything-but":{"wildcard":"*/lib/*"}}]""", "\"/usr/share/x\"", true)]
    public void Anything_but(string values, string value, bool expected) =>
        Assert.Equal(expected, Matches($$"""{"v":{{values}}}""", $$"""{"v":{{value}}}"""));

    [Fact]
    public void Anything_but_never_matches_an_absent_field() =>
        Assert.False(Matches("""{"v":[{"anything-but":"a"}]}""", """{"w":"b"}"""));

    [Theory]
    [InlineData("""[">",0,"<=",5]""", "5", true)]
    [InlineData("""[">",0,"<=",5]""", "0", false)]
    [InlineData("""[">",0,"<=",5]""", "5.0000001", false)]
    [InlineData("""[">",0,"<=",5]""", "5.000002", false)]
    [InlineData("""[">=",0,"<",5]""", "0", true)]
    [InlineData("""[">=",0,"<",5]""", "5", false)]
    [InlineData("""["<",10]""", "-1e9", true)]
    [InlineData("""["=",3.018e2]""", "301.8", true)]
    [InlineData("""["=",3.018e2]""", "301.81", false)]
    [InlineData("""[">",0]""", "\"5\"", false)]
    [InlineData("""[">",0]""", "6e9", true)]
    [InlineData("""[">",0]""", "[-1, 2]", true)]
    public void Numeric(string comparison, string value, bool expected) =>
        Assert.Equal(expected, Matches($$"""{"v":[{"numeric":{{comparison}}}]}""", $$"""{"v":{{value}}}"""));

    [Theory]
    [InlineData("10.0.0.0/24", "\"10.0.0.255\"", true)]
    [InlineData("10.0.0.0/24", "\"10.0.1.0\"", false)]
    [InlineData("10.0.0.0/8", "\"10.200.3.4\"", true)]
    [InlineData("192.168.1.128/25", "\"192.168.1.200\"", true)]
    [InlineData("192.168.1.128/25", "\"192.168.1.100\"", false)]
    [InlineData("10.0.0.0/24", "\"10.0.0\"", false)]
    [InlineData("10.0.0.0/24", "\"10.0.0.256\"", false)]
    [InlineData("10.0.0.0/24", "\"2001:db8::1\"", false)]
    [InlineData("2001:db8::/32", "\"2001:db8:ffff::1\"", true)]
    [InlineData("2001:db8::/32", "\"2001:db9::1\"", false)]
    [InlineData("::ffff:0:0/96", "\"::ffff:10.1.2.3\"", true)]
    [InlineData("fe80::/10", "\"febf:0:0:0:0:0:0:1\"", true)]
    [InlineData("fe80::/10", "\"fe80::1::2\"", false)]
    public void Cidr(string block, string value, bool expected) =>
        Assert.Equal(expected, Matches($$"""{"ip":[{"cidr":"{{block}}"}]}""", $$"""{"ip":{{value}}}"""));

    [Theory]
    [InlineData("""{"v":[{"exists":true}]}""", """{"v":null}""", true)]
    [InlineData("""{"v":[{"exists":true}]}""", """{"v":{"w":1}}""", false)]
    [InlineData("""{"v":[{"exists":true}]}""", """{"v":[]}""", false)]
    [InlineData("""{"v":[{"exists":false}]}""", """{"w":1}""", true)]
    [InlineData("""{"v":[{"exists":false}]}""", """{"v":""}""", false)]
    [InlineData("""{"v":[{"exists":false}, "x"]}""", """{"v":"x"}""", true)]
    [InlineData("""{"v":[{"exists":false}, "x"]}""", """{"v":"y"}""", false)]
    [InlineData("""{"v":[{"exists":false}, "x"]}""", """{"w":"x"}""", true)]
    [InlineData("""{"v":[""]}""", """{"v":""}""", true)]
    [InlineData("""{"v":[""]}""", """{"v":null}""", false)]
    public void Exists_null_and_empty_strings(string pattern, string document, bool expected) =>
        Assert.Equal(expected, Matches(pattern, document));

    [Theory]
    [InlineData("""{"$or":[{"a":[1]},{"b":[2]}]}""", """{"b":2}""", true)]
    [InlineData("""{"$or":[{"a":[1]},{"b":[2]}]}""", """{"c":2}""", false)]
    [InlineData("""{"$or":[{"a":[1]},{"b":[2]}]}""", """{"a":1,"b":2}""", true)]
    [InlineData("""{"x":["y"],"$or":[{"a":[1]},{"b":[2]}]}""", """{"a":1}""", false)]
    [InlineData("""{"d":{"$or":[{"a":[1]},{"b":{"c":[2]}}]}}""", """{"d":{"b":{"c":2}}}""", true)]
    [InlineData("""{"$or":{"a":["b"]}}""", """{"$or":{"a":"b"}}""", true)]
    public void Or(string pattern, string document, bool expected) =>
        Assert.Equal(expected, Matches(pattern, document));

    [Theory]
    [InlineData("""{"r":{"t":["a"],"id":["2"]}}""", """{"r":[{"t":"a","id":"1"},{"t":"b","id":"2"}]}""", false)]
    [InlineData("""{"r":{"t":["b"],"id":["2"]}}""", """{"r":[{"t":"a","id":"1"},{"t":"b","id":"2"}]}""", true)]
    [InlineData("""{"r":{"t":["a"]},"s":["x"]}""", """{"r":[{"t":"a"}],"s":"x"}""", true)]
    [InlineData("""{"r":{"t":["b"],"x":{"y":[1]}}}""", """{"r":[{"t":"b","x":[{"y":2},{"y":1}]}]}""", true)]
    [InlineData("""{"r":{"t":["b"],"x":{"y":[1]}}}""", """{"r":[{"t":"b","x":[{"y":2}]},{"t":"a","x":[{"y":1}]}]}""", false)]
    [InlineData("""{"tags":["a"],"$or":[{"tags":["b"]},{"z":[1]}]}""", """{"tags":["a","b"]}""", true)]
    public void Fields_matched_in_one_array_element_come_from_the_same_element(string pattern, string document, bool expected) =>
        Assert.Equal(expected, Matches(pattern, document));

    [Fact]
    public void Members_after_the_last_tested_top_level_member_are_not_needed()
    {
        // Only "type" is tested, so reading stops after it; a document damaged later still routes.
        var pattern = EventPattern.Parse("""{"type":["a"]}""");
        Assert.True(pattern.Matches("""{"type":"a","data":{"x":"""));
    }

    [Fact]
    public void Reading_stops_once_no_tested_path_can_occur_again()
    {
        var pattern = EventPattern.Parse("""{"data":{"x":[1]}}""");
        Assert.True(pattern.Matches("""{"data":{"x":1,"y":"""));
        Assert.False(pattern.Matches("""{"data":{"x":2,"y":"""));

        // Inside an array another element may still hold the path, so reading goes on.
        var inArray = EventPattern.Parse("""{"a":{"b":[2]}}""");
        Assert.True(inArray.Matches("""{"a":[{"b":1},{"b":2}]}"""));
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => inArray.Matches("""{"a":[{"b":1},{"b":"""));
    }

    [Fact]
    public void A_document_that_is_not_json_throws() =>
        Assert.ThrowsAny<System.Text.Json.JsonException>(() => EventPattern.Parse("""{"data":{"x":[1]}}""").Matches("""{"data":{"x":"""));

    [Theory]
    [InlineData("[1]", "must be a JSON object")]
    [InlineData("{}", "at least one field")]
    [InlineData("""{"a":{}}""", "'a' is an empty object")]
    [InlineData("""{"type":"order"}""", "must be an array")]
    [InlineData("""{"type":[]}""", "empty arrays are not allowed")]
    [InlineData("""{"type":[["a"]]}""", "nested array")]
    [InlineData("""{"type":[{}]}""", "empty object")]
    [InlineData("""{"type":[{"prefix":1}]}""", "'prefix' at 'type' needs a string")]
    [InlineData("""{"type":[{"prefix":{"equals-ignore-case":1}}]}""", "needs a string")]
    [InlineData("""{"type":[{"suffix":["a"]}]}""", "'suffix' at 'type' needs a string")]
    [InlineData("""{"type":[{"prefix":"a","suffix":"b"}]}""", "more than one key")]
    [InlineData("""{"type":[{"contains":"a"}]}""", "Unrecognized match type 'contains'")]
    [InlineData("""{"type":[{"equals-ignore-case":["a"]}]}""", "'equals-ignore-case' at 'type' needs a string")]
    [InlineData("""{"type":[{"wildcard":"a**b"}]}""", "consecutive wildcard characters")]
    [InlineData("""{"type":[{"wildcard":"a\\b"}]}""", "backslash may only escape")]
    [InlineData("""{"type":[{"wildcard":"ab\\"}]}""", "backslash may only escape")]
    [InlineData("""{"type":[{"anything-but":[]}]}""", "empty list")]
    [InlineData("""{"type":[{"anything-but":["a",1]}]}""", "only strings or only numbers")]
    [InlineData("""{"type":[{"anything-but":[null]}]}""", "only strings or only numbers")]
    [InlineData("""{"type":[{"anything-but":true}]}""", "'anything-but' at 'type' needs")]
    [InlineData("""{"type":[{"anything-but":{"prefix":""}}]}""", "must not be empty")]
    [InlineData("""{"type":[{"anything-but":{"numeric":[">",1]}}]}""", "does not support 'numeric'")]
    [InlineData("""{"type":[{"anything-but":{"prefix":"a","suffix":"b"}}]}""", "exactly one of")]
    [InlineData("""{"n":[{"numeric":[">"]}]}""", "needs [operator, number]")]
    [InlineData("""{"n":[{"numeric":[">","1"]}]}""", "must be followed by a number")]
    [InlineData("""{"n":[{"numeric":["!=",1]}]}""", "unknown operator")]
    [InlineData("""{"n":[{"numeric":["<",1,">",0]}]}""", "lower bound")]
    [InlineData("""{"n":[{"numeric":[">",5,"<",5]}]}""", "must be less than the upper bound")]
    [InlineData("""{"n":[{"exists":"yes"}]}""", "must be true or false")]
    [InlineData("""{"ip":[{"cidr":"10.0.0.0/33"}]}""", "not a valid IPv4 or IPv6 CIDR")]
    [InlineData("""{"ip":[{"cidr":"10.0.0/8"}]}""", "not a valid IPv4 or IPv6 CIDR")]
    [InlineData("""{"$or":[{"a":["b"]}]}""", "at least two")]
    [InlineData("""{"$or":[{"prefix":"a"},{"b":["c"]}]}""", "holds the operator 'prefix'")]
    [InlineData("""{"v":{"prefix":"a"}}""", "uses the operator 'prefix' outside an array")]
    [InlineData("""{"type":["a"]""", "not valid JSON")]
    public void Invalid_patterns_are_refused_with_the_reason(string pattern, string reason)
    {
        var error = Assert.Throws<EventPatternException>(() => EventPattern.Parse(pattern));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Or_combinations_are_bounded()
    {
        var ors = string.Join(",", Enumerable.Range(0, 11).Select(i => $$"""
            "f{{i}}":{"$or":[{"a":[1]},{"b":[2]}]}
            """));
        var error = Assert.Throws<EventPatternException>(() => EventPattern.Parse($"{{{ors}}}"));
        Assert.Contains("more than 1024 branches", error.Message, StringComparison.Ordinal);
    }
}
