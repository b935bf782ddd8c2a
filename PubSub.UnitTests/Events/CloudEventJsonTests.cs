using PubSub.Events;
using PubSub.Json;

namespace PubSub.UnitTests.Events;

/// <summary>A dead letter keeps the event as a CloudEvent; read back, it must be the event that was published.</summary>
public sealed class CloudEventJsonTests
{
    private static readonly DateTimeOffset ReceivedAt = new(2026, 11, 30, 12, 0, 1, TimeSpan.Zero);

    public static TheoryData<string> Cases => ["full", "binary", "minimal"];

    private static EventEnvelope Envelope(string name) => name switch
    {
        "full" => new EventEnvelope
        {
            Id = "o-1", Source = "shop", Type = "order.created", Subject = "orders/1 ü",
            Time = new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.FromHours(2)),
            DataContentType = "application/json", DataSchema = "https://example.com/order.json",
            Data = JsonPayload.FromString("""{"total":12.50,"tags":["a","b"],"name":"Zo\u00eb"}"""),
            Extensions = new Dictionary<string, string> { ["partitionkey"] = "\"customer-7\"", ["priority"] = "3", ["urgent"] = "true" },
            Publisher = "demo", ReceivedAt = ReceivedAt, OriginRegion = "us-east-1",
            Sensitive = new Sensitivity(Sensitivity.Flagged, new Dictionary<string, int> { ["email"] = 1 }),
        },
        "binary" => new EventEnvelope
        {
            Id = "b-1", Source = "shop", Type = "blob", DataBinary = [0, 1, 2, 255], Publisher = "acme", ReceivedAt = ReceivedAt,
            OriginRegion = "us-east-1", Sensitive = new Sensitivity(Sensitivity.Redacted, new Dictionary<string, int>()),
        },
        _ => new EventEnvelope { Id = "m-1", Source = "s", Type = "t", Publisher = "demo", ReceivedAt = ReceivedAt, OriginRegion = "us-east-1" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void An_event_read_back_is_written_as_it_was(string name)
    {
        var envelope = Envelope(name);

        var read = CloudEventJson.Read(CloudEventJson.ToUtf8Bytes(envelope), ReceivedAt, "us-east-1");

        Assert.Equal(CloudEventJson.ToJson(envelope), CloudEventJson.ToJson(read));
        Assert.Equal((envelope.Id, envelope.Publisher, envelope.Subject, envelope.Sensitive?.Action),
            (read.Id, read.Publisher, read.Subject, read.Sensitive?.Action));
        Assert.Equal(envelope.Extensions?.OrderBy(e => e.Key, StringComparer.Ordinal), read.Extensions?.OrderBy(e => e.Key, StringComparer.Ordinal));
        Assert.Equal((ReceivedAt, "us-east-1"), (read.ReceivedAt, read.OriginRegion));
    }

    [Fact]
    public void A_document_without_a_required_attribute_is_refused() =>
        Assert.Throws<InvalidOperationException>(() =>
            CloudEventJson.Read("""{"specversion":"1.0","id":"x","source":"s","type":"t"}"""u8.ToArray(), ReceivedAt, ""));
}
