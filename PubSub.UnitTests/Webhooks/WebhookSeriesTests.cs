using PubSub.Events;
using PubSub.Webhooks.Signing;
using PubSub.Webhooks.Worker;

namespace PubSub.UnitTests.Webhooks;

/// <summary>The series mark an operator's redelivery carries: it verifies for the event, subscription and attempt it
/// names with a secret the worker holds, and for nothing else; a publisher cannot set it through the stream publisher.</summary>
public sealed class WebhookSeriesTests
{
    private static readonly WebhookSecret Secret = WebhookSecret.Generate();

    [Fact]
    public void A_mark_verifies_for_what_it_names_and_gives_the_attempt_it_follows()
    {
        var keys = new WebhookSigningKeys(Secret);

        var mark = WebhookSeries.Mark(keys, "hook", "shop", "o-1", 10);

        Assert.StartsWith("10.", mark, StringComparison.Ordinal);
        Assert.Equal(10, WebhookSeries.Verify(mark, keys, "hook", "shop", "o-1"));
    }

    [Theory]
    [InlineData("other-hook", "shop", "o-1")]
    [InlineData("hook", "other-shop", "o-1")]
    [InlineData("hook", "shop", "o-2")]
    public void A_mark_names_one_event_at_one_subscription(string subscription, string publisher, string eventId)
    {
        var keys = new WebhookSigningKeys(Secret);

        Assert.Null(WebhookSeries.Verify(WebhookSeries.Mark(keys, "hook", "shop", "o-1", 3), keys, subscription, publisher, eventId));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("3")]
    [InlineData("3.")]
    [InlineData(".abc")]
    [InlineData("-1.abc")]
    [InlineData("99999999999.abc")]
    public void Values_that_are_not_marks_verify_as_nothing(string? value) =>
        Assert.Null(WebhookSeries.Verify(value, new WebhookSigningKeys(Secret), "hook", "shop", "o-1"));

    [Fact]
    public void A_forged_or_altered_mark_is_refused()
    {
        var keys = new WebhookSigningKeys(Secret);
        var mark = WebhookSeries.Mark(keys, "hook", "shop", "o-1", 3);
        var otherNumber = "4" + mark[1..]; // the same MAC for another attempt
        var forged = WebhookSeries.Mark(new WebhookSigningKeys(WebhookSecret.Generate()), "hook", "shop", "o-1", 3); // a secret not the subscription's

        Assert.Null(WebhookSeries.Verify(otherNumber, keys, "hook", "shop", "o-1"));
        Assert.Null(WebhookSeries.Verify(forged, keys, "hook", "shop", "o-1"));
    }

    [Fact]
    public void During_a_rotation_the_mark_is_signed_with_the_previous_secret_so_a_worker_holding_either_list_verifies_it()
    {
        var next = WebhookSecret.Generate();
        var rotated = new WebhookSigningKeys(next, Secret); // current first, the previous one after it

        var mark = WebhookSeries.Mark(rotated, "hook", "shop", "o-1", 2);

        Assert.Equal(2, WebhookSeries.Verify(mark, new WebhookSigningKeys(Secret), "hook", "shop", "o-1")); // cached from before
        Assert.Equal(2, WebhookSeries.Verify(mark, rotated, "hook", "shop", "o-1"));
        Assert.Null(WebhookSeries.Verify(mark, new WebhookSigningKeys(next), "hook", "shop", "o-1")); // the window over: the previous one is gone
    }

    [Fact]
    public void The_stream_publisher_never_sets_the_series_attribute_whatever_the_event_holds()
    {
        var envelope = new EventEnvelope
        {
            Id = MessageAttributes.WebhookSeries,
            Source = MessageAttributes.WebhookSeries,
            Type = MessageAttributes.WebhookSeries,
            Subject = MessageAttributes.WebhookSeries,
            Publisher = "shop",
            ReceivedAt = DateTimeOffset.UnixEpoch,
            OriginRegion = "us-east-1",
            Extensions = new Dictionary<string, string> { [MessageAttributes.WebhookSeries] = "1.forged" }, // a CloudEvents extension of that name
        };

        Assert.DoesNotContain(MessageAttributes.WebhookSeries, MessageAttributes.For(envelope, replayed: true).Keys);
    }
}
