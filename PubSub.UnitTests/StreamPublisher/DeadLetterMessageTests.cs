using System.Text;
using PubSub.DeadLetters;
using PubSub.Json;
using PubSub.Operations;

namespace PubSub.UnitTests.StreamPublisher;

public sealed class DeadLetterMessageTests
{
    private static readonly DateTimeOffset FailedAt = DateTimeOffset.UnixEpoch;

    [Fact]
    public void A_publish_letter_carries_its_reason_and_reads_back_with_it()
    {
        var body = DeadLetterMessage.ForPublish(StreamPublisherFixture.Event("o1", "order.created"), DeadLetterReason.Undeliverable,
            "orders", null, "InvalidParameter", "bad", 1, FailedAt);

        var letter = DeadLetterBody.Read(body);

        Assert.Equal((DeadLetterMessage.PublishKind, DeadLetterReason.Undeliverable, "o1", "orders"),
            (letter.Kind, letter.Reason, letter.EventId, letter.Target));
        Assert.NotNull(letter.Event);
    }

    [Fact]
    public void An_unroutable_event_is_an_event_letter_that_is_not_replayed_from_the_queue()
    {
        var body = DeadLetterMessage.ForEvent(StreamPublisherFixture.Event("p1", "order.created"), DeadLetterReason.Unroutable,
            "InvalidOperationException", "no", FailedAt);

        var letter = DeadLetterBody.Read(body);

        Assert.Equal((DeadLetterMessage.EventKind, DeadLetterReason.Unroutable, "p1", "demo"), (letter.Kind, letter.Reason, letter.EventId, letter.Publisher));
        Assert.Equal(ReplayResult.Skipped, DeadLetterReplayer.Classify(DeadLetterBody.Read(body))?.Result);
    }

    [Fact]
    public void An_event_too_large_for_sqs_is_dead_lettered_by_reference_and_the_letter_fits()
    {
        var big = StreamPublisherFixture.Event("big", "order.created") with
        {
            // 150,000 two-byte characters: 300 KB of UTF-8.
            Data = JsonPayload.FromString($$"""{"x":"{{new string('é', 150_000)}}"}"""),
        };

        var body = DeadLetterMessage.ForPublish(big, DeadLetterReason.Undeliverable, "orders", null, "MessageTooLarge", "big", 0, FailedAt);
        var letter = DeadLetterBody.Read(body);

        Assert.True(Encoding.UTF8.GetByteCount(body) <= DeadLetterMessage.MaxBodyBytes);
        Assert.True(letter.Truncated);
        Assert.Null(letter.Event);
        Assert.Equal(("big", "demo", "order.created", "orders"), (letter.EventId, letter.Publisher, letter.EventType, letter.Target));
        Assert.Equal(ReplayResult.Skipped, DeadLetterReplayer.Classify(DeadLetterBody.Read(body))?.Result);
    }

    [Fact]
    public void An_event_whose_raw_data_holds_a_character_sqs_refuses_is_dead_lettered_by_reference()
    {
        var odd = StreamPublisherFixture.Event("odd", "order.created") with { Data = JsonPayload.FromString("{\"x\":\"\uFFFE\"}") };

        var body = DeadLetterMessage.ForEvent(odd, DeadLetterReason.Undeliverable, "InvalidCharacters", "no", FailedAt);

        Assert.DoesNotContain('\uFFFE', body);
        Assert.Equal(("odd", true), (DeadLetterBody.Read(body).EventId, DeadLetterBody.Read(body).Truncated));
    }

    [Fact]
    public void An_undecodable_record_too_large_for_sqs_keeps_its_place_in_the_stream()
    {
        var record = StreamPublisherFixture.Insert(StreamPublisherFixture.Event("o1", "order.created"), "42");
        record.Dynamodb!.NewImage!["huge"] = new Amazon.DynamoDBv2.Model.AttributeValue { S = new string('a', 300_000) };
        record = record with { EventId = "ev-1" };

        var body = DeadLetterMessage.ForUndecodableRecord(record, "bad", FailedAt);

        Assert.True(Encoding.UTF8.GetByteCount(body) <= DeadLetterMessage.MaxBodyBytes);
        Assert.Contains("\"sequenceNumber\":\"42\"", body, StringComparison.Ordinal);
        Assert.Equal(DeadLetterReason.UndecodableRecord, DeadLetterBody.Read(body).Reason);
    }

    [Fact]
    public void An_error_message_with_a_lone_surrogate_still_makes_a_letter() =>
        Assert.Contains("\"reason\":\"unroutable\"", DeadLetterMessage.ForEvent(StreamPublisherFixture.Event("p1", "t"),
            DeadLetterReason.Unroutable, "X", "bad \udc00 text", FailedAt), StringComparison.Ordinal);
}
