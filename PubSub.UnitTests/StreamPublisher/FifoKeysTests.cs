using System.Security.Cryptography;
using System.Text;
using PubSub.Events;

namespace PubSub.UnitTests.StreamPublisher;

public sealed class FifoKeysTests
{
    private static EventEnvelope Envelope(string? subject = null, Dictionary<string, string>? extensions = null, string id = "e-1",
        string publisher = "demo") => new()
    {
        Id = id,
        Source = "shop",
        Type = "order.created",
        Subject = subject,
        Extensions = extensions,
        Publisher = publisher,
        ReceivedAt = DateTimeOffset.UnixEpoch,
        OriginRegion = "us-east-1",
    };

    private static string Sha256(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    [Fact]
    public void The_deduplication_id_is_the_hex_sha256_of_publisher_and_id() =>
        Assert.Equal(Sha256("demo\ne-1"), FifoKeys.DeduplicationIdOf(Envelope()));

    [Fact]
    public void The_group_is_the_publisher_scoped_hash_of_the_partition_key_then_the_subject_then_the_publisher()
    {
        Assert.Equal(Sha256("demo\ncustomer-7"), FifoKeys.GroupOf(Envelope("orders/1", new() { ["partitionkey"] = "\"customer-7\"" })));
        Assert.Equal(Sha256("demo\norders/1"), FifoKeys.GroupOf(Envelope("orders/1")));
        Assert.Equal(Sha256("demo\ndemo"), FifoKeys.GroupOf(Envelope()));
        Assert.Equal(Sha256("demo\n42"), FifoKeys.GroupOf(Envelope(extensions: new() { ["partitionkey"] = "42" })));
    }

    [Fact]
    public void One_publisher_cannot_take_another_s_deduplication_id_or_group()
    {
        Assert.NotEqual(FifoKeys.DeduplicationIdOf(Envelope(publisher: "acme")), FifoKeys.DeduplicationIdOf(Envelope()));
        Assert.NotEqual(FifoKeys.GroupOf(Envelope("s", publisher: "acme")), FifoKeys.GroupOf(Envelope("s")));
    }

    [Theory]
    [InlineData("an id with spaces")]
    [InlineData("ünïcødé-日本")]
    [InlineData("tab\tand\u0001control")]
    [InlineData("\ud800")]
    public void Any_id_or_subject_gives_keys_of_64_lowercase_hex_characters(string text)
    {
        foreach (var key in new[] { FifoKeys.DeduplicationIdOf(Envelope(id: text)), FifoKeys.GroupOf(Envelope(text)) })
        {
            Assert.Matches("^[0-9a-f]{64}$", key);
        }

        var longest = FifoKeys.GroupOf(Envelope(new string('s', 300)));
        Assert.Equal(64, longest.Length);
    }

    [Fact]
    public void A_partition_key_with_an_escaped_lone_surrogate_still_gives_a_group() =>
        Assert.Matches("^[0-9a-f]{64}$", FifoKeys.GroupOf(Envelope(extensions: new() { ["partitionkey"] = "\"\\udc00\"" })));

    [Fact]
    public void A_replayed_cloud_event_gets_the_same_keys_as_its_envelope()
    {
        var envelope = Envelope("orders/1", new() { ["partitionkey"] = "\"customer-7\"" });
        var replayed = CloudEventJson.Read(CloudEventJson.ToUtf8Bytes(envelope), envelope.ReceivedAt, envelope.OriginRegion);

        Assert.Equal(FifoKeys.GroupOf(envelope), FifoKeys.GroupOf(replayed));
        Assert.Equal(FifoKeys.DeduplicationIdOf(envelope), FifoKeys.DeduplicationIdOf("demo", "e-1"));
    }
}
