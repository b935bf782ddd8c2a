using System.Text;
using System.Text.Json;
using PubSub.Routing;
using PubSub.Routing.Patterns;

namespace PubSub.UnitTests.Routing;

/// <summary>Members no pattern names are skipped by their brackets (<see cref="JsonContainerEnd"/>) rather than read
/// token by token: the end found must be the one System.Text.Json's reader finds, whatever strings, escapes and
/// nesting the member holds, and a member that is not closed, or closed by the wrong bracket, is still not JSON.</summary>
public sealed class SkippedMemberTests
{
    [Fact]
    public void The_end_found_is_the_readers_for_random_nested_values_with_brackets_and_escapes_in_strings()
    {
        var random = new Random(20261201);
        for (var i = 0; i < 3000; i++)
        {
            var text = new StringBuilder();
            Container(random, text, depth: 0);
            var utf8 = Encoding.UTF8.GetBytes(text.ToString());
            var reader = new Utf8JsonReader(utf8);
            reader.Read();
            reader.Skip();
            var readersEnd = (int)reader.BytesConsumed - 1; // the closing bracket's offset
            Assert.True(readersEnd == 1 + JsonContainerEnd.Find(utf8.AsSpan(1)), text.ToString());
        }
    }

    [Fact]
    public void A_skipped_member_does_not_hide_or_invent_a_match()
    {
        const string skipped = """{"skip":{"a":"]}\"{[ a longer string than sixteen bytes \\","b":["\\\\",{"c":"}\\\""}],"d":[[[]]]},""";
        Assert.True(EventPattern.Parse("""{"type":["x"]}""").Matches(skipped + "\"type\":\"x\"}"));
        Assert.False(EventPattern.Parse("""{"type":["x"]}""").Matches(skipped + "\"type\":\"y\"}"));
        Assert.False(EventPattern.Parse("""{"c":["}"]}""").Matches(skipped + "\"type\":\"x\"}"));
    }

    [Theory]
    [InlineData("""{"skip":[1,2,{"a":"x"}""")]
    [InlineData("""{"skip":[1,2,{"a":"x"}],"type":"x""")]
    [InlineData("""{"skip":[1,2},"type":"x"}""")]
    [InlineData("""{"skip":{"a":1]],"type":"x"}""")]
    public void A_skipped_member_that_is_not_closed_or_closed_by_the_wrong_bracket_is_not_json(string document) =>
        Assert.ThrowsAny<JsonException>(() => EventPattern.Parse("""{"type":["x"]}""").Matches(document));

    private static void Container(Random random, StringBuilder text, int depth)
    {
        var isObject = random.Next(2) == 0;
        text.Append(isObject ? '{' : '[');
        var count = random.Next(5);
        for (var i = 0; i < count; i++)
        {
            if (i > 0)
            {
                text.Append(',');
            }

            text.Append(random.Next(3) == 0 ? " " : "");
            if (isObject)
            {
                String(random, text);
                text.Append(':');
            }

            switch (depth < 4 ? random.Next(4) : random.Next(2))
            {
                case 0:
                    String(random, text);
                    break;
                case 1:
                    text.Append(random.Next(3) == 0 ? "-12.5e3" : "7");
                    break;
                default:
                    Container(random, text, depth + 1);
                    break;
            }
        }

        text.Append(isObject ? '}' : ']');
    }

    /// <summary>Strings of every length around the 16-byte chunks, full of brackets, quotes and escapes.</summary>
    private static void String(Random random, StringBuilder text)
    {
        string[] pieces = ["a", "[", "]", "{", "}", "\\\"", "\\\\", "\\n", "\\u005b", "é", ",", ":", " "];
        text.Append('"');
        var length = random.Next(40);
        for (var i = 0; i < length; i++)
        {
            text.Append(pieces[random.Next(pieces.Length)]);
        }

        text.Append('"');
    }
}
