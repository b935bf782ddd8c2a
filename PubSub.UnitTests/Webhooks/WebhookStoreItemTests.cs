using PubSub.DeadLetters;
using PubSub.Operations;
using PubSub.Webhooks.Delivery;
using PubSub.Webhooks.Worker;

namespace PubSub.UnitTests.Webhooks;

/// <summary>The attempts and endpoints tables' items, and the webhook dead letter, without a table.</summary>
public sealed class WebhookStoreItemTests
{
    private static readonly DateTimeOffset Started = new(2026, 12, 1, 1, 2, 3, 456, TimeSpan.Zero);

    [Fact]
    public void An_attempt_item_has_the_shared_keys_a_TTL_of_the_retention_and_reads_back_as_written()
    {
        var log = new DynamoDbAttemptLog(null!, "t", TimeSpan.FromDays(7));
        var attempt = new DeliveryAttempt("o-1", "hook", "https://example.com/h", 3, Started, 503, AttemptError.None,
            TimeSpan.FromMilliseconds(42), "busy", TimeSpan.FromSeconds(1));
        var record = new AttemptRecord("shop", attempt, Started.AddSeconds(2));

        var item = log.ToItem(record);

        Assert.Equal("shop#o-1", item[DynamoDbAttemptLog.PartitionKey].S);
        Assert.Equal("hook#0003", item[DynamoDbAttemptLog.SortKey].S);
        Assert.Equal(Started.AddDays(7).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), item[DynamoDbAttemptLog.ExpiresAt].N);
        Assert.DoesNotContain(item.Keys, k => k.Contains("signature", StringComparison.OrdinalIgnoreCase) || k.Contains("secret", StringComparison.OrdinalIgnoreCase));
        Assert.Equal(record, DynamoDbAttemptLog.FromItem(item));
    }

    [Fact]
    public void An_attempt_of_a_later_series_keeps_where_its_series_started_and_counts_its_place_in_it()
    {
        var log = new DynamoDbAttemptLog(null!, "t", TimeSpan.FromDays(7));
        var attempt = new DeliveryAttempt("o-1", "hook", "https://example.com/h", 12, Started, 200, AttemptError.None,
            TimeSpan.FromMilliseconds(5), "", null);
        var record = new AttemptRecord("shop", attempt, null, SeriesStart: 11);

        var item = log.ToItem(record);

        Assert.Equal("11", item["seriesStart"].N);
        Assert.Equal(record, DynamoDbAttemptLog.FromItem(item));
        Assert.Equal(2, record.NumberInSeries);
        Assert.DoesNotContain("seriesStart", log.ToItem(record with { SeriesStart = 1 }).Keys); // the first series writes nothing more
    }

    [Fact]
    public void A_failed_attempt_without_an_answer_reads_back_as_written()
    {
        var log = new DynamoDbAttemptLog(null!, "t", TimeSpan.FromDays(7));
        var attempt = new DeliveryAttempt("o-1", "hook", "https://example.com/h", 10, Started, null, AttemptError.ForbiddenAddress,
            TimeSpan.Zero, "", null, "resolves to 10.0.0.1");
        var record = new AttemptRecord("shop", attempt, null);

        Assert.Equal(record, DynamoDbAttemptLog.FromItem(log.ToItem(record)));
    }

    [Fact]
    public void An_endpoints_item_reads_as_its_circuit()
    {
        var item = new Dictionary<string, Amazon.DynamoDBv2.Model.AttributeValue>
        {
            ["id"] = new("hook"),
            ["url"] = new("https://example.com/h"),
            ["status"] = new("Disabled"),
            ["consecutiveFailures"] = new() { N = "4" },
            ["failingSince"] = new("2026-12-01T00:00:00.0000000Z"),
            ["disabledReason"] = new("410 Gone"),
            ["version"] = new() { N = "9" },
        };

        var state = DynamoDbCircuitStateStore.FromItem(item);

        Assert.Equal(new CircuitState(CircuitStatus.Disabled, 4, new DateTimeOffset(2026, 12, 1, 0, 0, 0, TimeSpan.Zero), null, "410 Gone", 9), state);
    }

    [Fact]
    public void A_webhook_dead_letter_holds_the_event_as_JSON_or_a_malformed_body_as_text_and_pubsub_dlq_reads_it()
    {
        const string cloudEvent = """{"specversion":"1.0","id":"o-1","publisher":"shop"}""";

        var letter = DeadLetterMessage.ForWebhook("hook", "orders", "https://example.com/h", DeadLetterReason.WebhookAttemptsExhausted, "shop", "o-1",
            cloudEvent, "Http500", "attempt 10: HTTP 500", 10, Started);
        var malformed = DeadLetterMessage.ForWebhook("hook", "orders", "https://example.com/h", DeadLetterReason.WebhookMalformed, null, null,
            "not json", "Malformed", "The message body is not JSON", 0, Started);

        using var document = System.Text.Json.JsonDocument.Parse(letter);
        Assert.Equal("o-1", document.RootElement.GetProperty("event").GetProperty("id").GetString());
        Assert.Equal("hook", document.RootElement.GetProperty("subscription").GetString());
        Assert.Equal("not json", System.Text.Json.JsonDocument.Parse(malformed).RootElement.GetProperty("body").GetString());
        var read = DeadLetterBody.Read(letter);
        Assert.Equal((DeadLetterMessage.WebhookKind, DeadLetterReason.WebhookAttemptsExhausted, "Http500", 10),
            (read.Kind, read.Reason, read.ErrorCode, read.Attempts));
    }
}
