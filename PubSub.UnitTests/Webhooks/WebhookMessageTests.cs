using PubSub.Webhooks.Worker;

namespace PubSub.UnitTests.Webhooks;

public sealed class WebhookMessageTests
{
    private static QueuedDelivery Message(string body, string? publisher = "demo") => new("m-1", "r-1", body,
        publisher is null ? new Dictionary<string, string>() : new Dictionary<string, string> { ["publisher"] = publisher },
        DateTimeOffset.UnixEpoch, 1);

    [Fact]
    public void A_CloudEvent_is_read_with_its_publisher_attribute_and_sent_byte_for_byte()
    {
        const string body = """{"specversion":"1.0","id":"o-1","source":"s","type":"t","partitionkey":"k-7","publisher":"ignored","data":{"x":"caf\u00e9"}}""";

        var message = WebhookMessage.TryRead(Message(body, "shop"), out var problem);

        Assert.Null(problem);
        Assert.Equal(("shop", "o-1", "k-7"), (message!.Publisher, message.EventId, message.PartitionKey));
        Assert.Equal(body, System.Text.Encoding.UTF8.GetString(message.Body));
        Assert.Equal(WebhookMessage.WebhookIdOf("shop", "o-1"), message.WebhookId);
    }

    [Theory]
    [InlineData("\"partitionkey\":\"k-7\",\"time\":\"2026-12-01T01:00:00.25+01:00\"", "k-7", "2026-12-01T00:00:00.2500000Z")]
    [InlineData("\"partitionkey\":42,\"time\":\"not a time\"", "42", null)]
    [InlineData("\"partitionkey\":\"\",\"time\":7", null, null)]
    public void The_partitionkey_and_time_are_read_for_the_ordering(string members, string? key, string? time)
    {
        var message = WebhookMessage.TryRead(Message($$"""{"specversion":"1.0","id":"o-1",{{members}}}"""), out _);

        Assert.Equal((key, time), (message!.PartitionKey, message.Time is { } t ? OrderedKeyRules.OrderKeyOf(t, default) : null));
    }

    [Fact]
    public void Without_the_attribute_the_CloudEvents_publisher_extension_is_taken()
    {
        var message = WebhookMessage.TryRead(Message("""{"specversion":"1.0","id":"o-1","publisher":"shop"}""", null), out _);

        Assert.Equal("shop", message!.Publisher);
    }

    [Theory]
    [InlineData("not json", "not JSON")]
    [InlineData("[1,2]", "not a JSON object")]
    [InlineData("""{"id":"o-1"}""", "no specversion")]
    [InlineData("""{"specversion":"1.0","id":""}""", "no id")]
    [InlineData("""{"specversion":"1.0","id":7}""", "no id")]
    [InlineData("""{"specversion":"1.0","id":"o-1"}""", "no publisher")]
    [InlineData("""{"specversion":"1.0","id":"o-\ud800"}""", "unpaired surrogate")]
    [InlineData("""{"specversion":"1.0","id":"o-1","publisher":"\udc00x"}""", "unpaired surrogate")]
    [InlineData("""{"specversion":"1.0","id":"o-1","publisher":"p","partitionkey":"\ud800"}""", "unpaired surrogate")]
    public void What_is_not_a_deliverable_CloudEvent_is_refused_with_a_reason(string body, string reason)
    {
        var message = WebhookMessage.TryRead(Message(body, null), out var problem);

        Assert.Null(message);
        Assert.Contains(reason, problem, StringComparison.Ordinal);
    }

    [Fact]
    public void The_webhook_id_is_stable_distinct_per_publisher_and_always_a_valid_header()
    {
        var id = WebhookMessage.WebhookIdOf("shop", "o.1 ☕\n");

        Assert.Equal(id, WebhookMessage.WebhookIdOf("shop", "o.1 ☕\n"));
        Assert.NotEqual(id, WebhookMessage.WebhookIdOf("other", "o.1 ☕\n"));
        Assert.NotEqual(WebhookMessage.WebhookIdOf("a", "b#c"), WebhookMessage.WebhookIdOf("a#b", "c"));
        Assert.StartsWith("msg_", id, StringComparison.Ordinal);
        Assert.Equal(47, id.Length);
        Assert.All(id, c => Assert.True(char.IsAsciiLetterOrDigit(c) || c is '_' or '-', $"'{c}' in {id}"));
    }
}
