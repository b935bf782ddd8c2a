using System.Text;
using Amazon.DynamoDBv2.Model;
using PubSub.Cli.Cost;
using PubSub.Events;
using PubSub.Json;

namespace PubSub.UnitTests.Cli;

/// <summary>The sizes <c>pubsub cost</c> assumes per event are measured from the code that writes them: the DynamoDB
/// item (EventItem), the CloudEvent JSON (archive line and SNS body) and the SNS message attributes. A larger event
/// shape fails here, and the constants in StackProfile must follow.</summary>
public sealed class CostSizesTests
{
    // A typical stored event: UUIDv7 id, trace context, fingerprint, time and content type all present.
    private static EventEnvelope Event(int dataBytes) => new()
    {
        Id = "0193a5b2-7c1d-7e4f-9a2b-3c4d5e6f7a8b",
        Source = "https://shop.example.com/orders",
        Type = "com.example.order.created",
        Subject = "order-1002",
        Time = DateTimeOffset.Parse("2026-11-30T12:00:00.123Z", System.Globalization.CultureInfo.InvariantCulture),
        DataContentType = "application/json",
        Data = JsonPayload.FromString("{\"x\":\"" + new string('a', dataBytes - 8) + "\"}"),
        Publisher = "publisher-name",
        ReceivedAt = DateTimeOffset.Parse("2026-11-30T12:00:00.456Z", System.Globalization.CultureInfo.InvariantCulture),
        OriginRegion = "ap-southeast-2",
        TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        Fingerprint = Convert.ToBase64String(new byte[32]),
    };

    [Fact]
    public void An_items_attributes_beside_its_data_fit_the_assumed_overhead()
    {
        var e = Event(1024);
        var overhead = ItemSize(EventItem.ToItem(e, TimeSpan.FromDays(30))) - e.Data!.Length;

        Assert.InRange(overhead, StackProfile.ItemOverheadBytes - 128, StackProfile.ItemOverheadBytes);
    }

    [Fact]
    public void A_cloud_events_json_and_its_sns_attributes_fit_the_assumed_overheads()
    {
        var e = Event(1024);
        var json = Encoding.UTF8.GetByteCount(CloudEventJson.ToJson(e)) - e.Data!.Length;
        var attributes = MessageAttributes.SizeOf(e);

        
        Assert.InRange(json, StackProfile.EventJsonOverheadBytes - 128, StackProfile.EventJsonOverheadBytes);
        Assert.InRange(attributes, StackProfile.SnsAttributeBytes - 128, StackProfile.SnsAttributeBytes);
    }

    /// <summary>DynamoDB's item size: each attribute's name and value in UTF-8; a number about one byte per two digits
    /// plus one; a map 3 bytes plus one per element plus its names and values.</summary>
    private static int ItemSize(Dictionary<string, AttributeValue> item) => item.Sum(a => Encoding.UTF8.GetByteCount(a.Key) + ValueSize(a.Value));

    private static int ValueSize(AttributeValue v) =>
        v.S is { } s ? Encoding.UTF8.GetByteCount(s)
        : v.N is { } n ? (n.Length + 1) / 2 + 1
        : v.B is { } b ? (int)b.Length
        : v.M is { } m ? 3 + m.Count + ItemSize(m)
        : 1;
}
