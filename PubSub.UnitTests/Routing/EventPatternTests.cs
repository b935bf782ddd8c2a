using System.Text.Json;
using PubSub.Routing;

namespace PubSub.UnitTests.Routing;

public sealed class EventPatternTests
{
    private static bool Matches(string pattern, string document)
    {
        using var json = JsonDocument.Parse(document);
        return EventPattern.Parse(pattern).Matches(json.RootElement);
    }

    [Theory]
    [InlineData("""{"type":["order.created"]}""", """{"type":"order.created"}""", true)]
    [InlineData("""{"type":["order.created"]}""", """{"type":"order.created.v2"}""", false)]
    [InlineData("""{"type":["a","order.created"]}""", """{"type":"order.created"}""", true)]
    [InlineData("""{"type":[{"prefix":"order."}]}""", """{"type":"order.shipped"}""", true)]
    [InlineData("""{"type":[{"prefix":"order."}]}""", """{"type":"customer.created"}""", false)]
    [InlineData("""{"type":[{"prefix":"order."}]}""", """{"source":"x"}""", false)]
    [InlineData("""{"data":{"status":["paid"]}}""", """{"data":{"status":"paid","total":3}}""", true)]
    [InlineData("""{"data":{"status":["paid"]}}""", """{"data":"paid"}""", false)]
    [InlineData("""{"data":{"tags":["vip"]}}""", """{"data":{"tags":["new","vip"]}}""", true)]
    [InlineData("""{"data":{"total":[300]}}""", """{"data":{"total":300.0}}""", true)]
    [InlineData("""{"data":{"total":[300]}}""", """{"data":{"total":"300"}}""", false)]
    [InlineData("""{"data":{"ok":[true]}}""", """{"data":{"ok":true}}""", true)]
    [InlineData("""{"data":{"ok":[true]}}""", """{"data":{"ok":false}}""", false)]
    [InlineData("""{"data":{"gone":[null]}}""", """{"data":{"gone":null}}""", true)]
    [InlineData("""{"type":["order.created"],"source":["shop"]}""", """{"type":"order.created","source":"crm"}""", false)]
    public void Exact_values_prefixes_nesting_and_arrays_match_as_in_eventbridge(string pattern, string document, bool expected) =>
        Assert.Equal(expected, Matches(pattern, document));

    [Theory]
    [InlineData("[1]", "must be a JSON object")]
    [InlineData("{}", "at least one field")]
    [InlineData("""{"type":"order"}""", "must be an array")]
    [InlineData("""{"type":[]}""", "empty array")]
    [InlineData("""{"type":[["a"]]}""", "nested array")]
    [InlineData("""{"type":[{"prefix":1}]}""", "'prefix' at 'type' needs a string")]
    [InlineData("""{"type":[{"prefix":"a","suffix":"b"}]}""", "more than one key")]
    public void Invalid_patterns_are_refused_with_the_reason(string pattern, string reason)
    {
        var error = Assert.Throws<EventPatternException>(() => EventPattern.Parse(pattern));
        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"type":[{"suffix":".created"}]}""", "suffix")]
    [InlineData("""{"data":{"n":[{"numeric":[">",1]}]}}""", "numeric")]
    [InlineData("""{"$or":[{"a":["b"]}]}""", "$or")]
    public void Operators_not_yet_evaluated_are_refused_by_name_instead_of_misrouting(string pattern, string op)
    {
        var error = Assert.Throws<EventPatternException>(() => EventPattern.Parse(pattern));
        Assert.Contains($"'{op}'", error.Message, StringComparison.Ordinal);
        Assert.Contains("not supported yet", error.Message, StringComparison.Ordinal);
    }
}
