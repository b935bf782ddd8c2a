using System.Globalization;
using Amazon.DynamoDBv2.Model;

namespace PubSub.Events;

/// <summary>The Events table's item layout: an envelope to a DynamoDB item and back (the stream's
/// NEW_IMAGE has the same layout). The key is publisher and id, so ids are unique per publisher.</summary>
public static class EventItem
{
    public const string Key = "pk";
    public const string ExpiresAt = "expiresAt";

    private const string Id = "id", Publisher = "publisher", Type = "type", Source = "source", SpecVersion = "specversion",
        Subject = "subject", Time = "time", DataContentType = "datacontenttype", DataSchema = "dataschema", Data = "data",
        ReceivedAt = "receivedAt", OriginRegion = "originRegion", TraceParent = "traceparent", TraceState = "tracestate",
        Extensions = "extensions";

    public static string KeyOf(string publisher, string id) => $"{publisher}#{id}";

    public static Dictionary<string, AttributeValue> ToItem(EventEnvelope e, TimeSpan retention)
    {
        var item = new Dictionary<string, AttributeValue>(16, StringComparer.Ordinal)
        {
            [Key] = S(KeyOf(e.Publisher, e.Id)),
            [Id] = S(e.Id),
            [Publisher] = S(e.Publisher),
            [Type] = S(e.Type),
            [Source] = S(e.Source),
            [SpecVersion] = S(e.SpecVersion),
            [ReceivedAt] = S(e.ReceivedAt.ToString("O", CultureInfo.InvariantCulture)),
            [OriginRegion] = S(e.OriginRegion),
            [ExpiresAt] = new AttributeValue { N = (e.ReceivedAt + retention).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture) },
        };
        AddIfPresent(item, Subject, e.Subject);
        AddIfPresent(item, Time, e.Time?.ToString("O", CultureInfo.InvariantCulture));
        AddIfPresent(item, DataContentType, e.DataContentType);
        AddIfPresent(item, DataSchema, e.DataSchema);
        AddIfPresent(item, Data, e.Data);
        AddIfPresent(item, TraceParent, e.TraceParent);
        AddIfPresent(item, TraceState, e.TraceState);
        if (e.Extensions is { Count: > 0 } extensions)
        {
            item[Extensions] = new AttributeValue { M = extensions.ToDictionary(x => x.Key, x => S(x.Value), StringComparer.Ordinal) };
        }

        return item;
    }

    /// <summary>Reads an item or a stream image back; throws <see cref="FormatException"/> naming
    /// the first attribute that is missing or malformed.</summary>
    public static EventEnvelope FromItem(IReadOnlyDictionary<string, AttributeValue> item) => new()
    {
        Id = Required(item, Id),
        Publisher = Required(item, Publisher),
        Type = Required(item, Type),
        Source = Required(item, Source),
        SpecVersion = Optional(item, SpecVersion) ?? EventEnvelope.CloudEventsSpecVersion,
        Subject = Optional(item, Subject),
        Time = Timestamp(item, Time),
        DataContentType = Optional(item, DataContentType),
        DataSchema = Optional(item, DataSchema),
        Data = Optional(item, Data),
        ReceivedAt = Timestamp(item, ReceivedAt) ?? throw new FormatException($"The event item has no '{ReceivedAt}'."),
        OriginRegion = Required(item, OriginRegion),
        TraceParent = Optional(item, TraceParent),
        TraceState = Optional(item, TraceState),
        Extensions = item.TryGetValue(Extensions, out var extensions) && extensions.M is { Count: > 0 } map
            ? map.ToDictionary(x => x.Key, x => x.Value.S ?? throw new FormatException($"Extension '{x.Key}' is not a string attribute."), StringComparer.Ordinal)
            : null,
    };

    private static AttributeValue S(string value) => new() { S = value };

    private static void AddIfPresent(Dictionary<string, AttributeValue> item, string name, string? value)
    {
        if (value is not null)
        {
            item[name] = S(value);
        }
    }

    private static string? Optional(IReadOnlyDictionary<string, AttributeValue> item, string name) =>
        item.TryGetValue(name, out var value) ? value.S : null;

    private static string Required(IReadOnlyDictionary<string, AttributeValue> item, string name) =>
        Optional(item, name) ?? throw new FormatException($"The event item has no string attribute '{name}'.");

    private static DateTimeOffset? Timestamp(IReadOnlyDictionary<string, AttributeValue> item, string name) =>
        Optional(item, name) is { } text
            ? DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var value)
                ? value
                : throw new FormatException($"The event item's '{name}' is not an ISO 8601 time.")
            : null;
}
