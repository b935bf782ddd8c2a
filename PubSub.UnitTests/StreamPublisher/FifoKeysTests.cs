using PubSub.Events;

namespace PubSub.UnitTests.StreamPublisher;

public sealed class FifoKeysTests
{
    private static EventEnvelope Envelope(string? subject = null, Dictionary<string, string>? extensions = null) => new()
    {
        Id = "e-1",
        Source = "shop",
        Type = "order.created",
        Subject = subject,
        Extensions = extensions,
        Publisher = "demo",
        ReceivedAt = DateTimeOffset.UnixEpoch,
        OriginRegion = "us-east-1",
    };

    [Fact]
    public void The_partition_key_extension_orders_first_then_the_subject_then_the_publisher()
    {
        Assert.Equal("customer-7", FifoKeys.GroupOf(Envelope("orders/1", new() { ["partitionkey"] = "\"customer-7\"" })));
        Assert.Equal("orders/1", FifoKeys.GroupOf(Envelope("orders/1")));
        Assert.Equal("demo", FifoKeys.GroupOf(Envelope()));
        Assert.Equal("42", FifoKeys.GroupOf(Envelope(extensions: new() { ["partitionkey"] = "42" })));
    }

    [Fact]
    public void Keys_are_cut_to_the_128_characters_sns_allows() =>
        Assert.Equal(128, FifoKeys.GroupOf(Envelope(new string('s', 300))).Length);

    [Fact]
    public void The_event_id_deduplicates() => Assert.Equal("e-1", FifoKeys.DeduplicationIdOf(Envelope()));
}
