using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using PubSub.Events;
using PubSub.Json;

namespace PubSub.UnitTests.Events;

public sealed class EventItemTests
{
    private static readonly EventEnvelope Full = new()
    {
        Id = "e-1",
        Source = "shop",
        Type = "order.created",
        Subject = "order/42",
        Time = DateTimeOffset.Parse("2024-05-01T12:00:00.123+00:00", System.Globalization.CultureInfo.InvariantCulture),
        DataContentType = "application/json",
        DataSchema = "https://schemas.example/order",
        Data = JsonPayload.FromString("""{"orderId":42,"items":["a"]}"""),
        Extensions = new Dictionary<string, string> { ["tenant"] = "\"t1\"", ["priority"] = "3" },
        Publisher = "demo",
        ReceivedAt = DateTimeOffset.Parse("2024-05-01T12:00:01Z", System.Globalization.CultureInfo.InvariantCulture),
        OriginRegion = "us-east-1",
        TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
        TraceState = "k=v",
    };

    [Fact]
    public void An_envelope_survives_a_round_trip_through_a_table_item()
    {
        var item = EventItem.ToItem(Full, TimeSpan.FromDays(30));
        var back = EventItem.FromItem(item);

        Assert.Equal(Full with { Extensions = null }, back with { Extensions = null });
        Assert.Equal(Full.Extensions, back.Extensions);
    }

    [Fact]
    public void The_item_is_keyed_by_publisher_and_id_and_expires_after_the_retention()
    {
        var item = EventItem.ToItem(Full, TimeSpan.FromDays(30));

        Assert.Equal("demo#e-1", item[EventItem.Key].S);
        Assert.Equal(Full.ReceivedAt.AddDays(30).ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture), item[EventItem.ExpiresAt].N);
    }

    [Fact]
    public void Optional_attributes_are_left_out_of_the_item()
    {
        var minimal = Full with { Subject = null, Time = null, DataSchema = null, Data = null, Extensions = null, TraceParent = null, TraceState = null };

        var item = EventItem.ToItem(minimal, TimeSpan.FromDays(1));

        Assert.DoesNotContain("subject", item.Keys);
        Assert.DoesNotContain("data", item.Keys);
        Assert.Equal(minimal, EventItem.FromItem(item));
    }

    [Fact]
    public void An_item_that_is_not_an_event_is_refused_naming_what_is_missing()
    {
        var item = EventItem.ToItem(Full, TimeSpan.FromDays(1));
        item.Remove("type");

        var error = Assert.Throws<FormatException>(() => EventItem.FromItem(item));
        Assert.Contains("'type'", error.Message, StringComparison.Ordinal);

        item = EventItem.ToItem(Full, TimeSpan.FromDays(1));
        item["receivedAt"] = new AttributeValue { S = "yesterday" };
        Assert.Throws<FormatException>(() => EventItem.FromItem(item));
    }

    [Fact]
    public void The_structured_cloudevent_carries_every_attribute_extensions_and_the_publisher()
    {
        using var json = JsonDocument.Parse(CloudEventJson.ToJson(Full));
        var root = json.RootElement;

        Assert.Equal("1.0", root.GetProperty("specversion").GetString());
        Assert.Equal("e-1", root.GetProperty("id").GetString());
        Assert.Equal("order/42", root.GetProperty("subject").GetString());
        Assert.Equal("2024-05-01T12:00:00.1230000+00:00", root.GetProperty("time").GetString());
        Assert.Equal("t1", root.GetProperty("tenant").GetString());
        Assert.Equal(3, root.GetProperty("priority").GetInt32());
        Assert.Equal("demo", root.GetProperty("publisher").GetString());
        Assert.Equal(42, root.GetProperty("data").GetProperty("orderId").GetInt32());
        Assert.False(root.TryGetProperty("traceparent", out _));
    }
}
