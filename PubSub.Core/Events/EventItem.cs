using System.Globalization;
using System.IO.Compression;
using Amazon.DynamoDBv2.Model;
using PubSub.Json;

namespace PubSub.Events;

/// <summary>The Events table's item layout: an envelope to a DynamoDB item and back (the stream's
/// NEW_IMAGE has the same layout). The key is publisher and id, so ids are unique per publisher.
/// JSON data larger than <see cref="CompressAbove"/> bytes is stored gzip-compressed.</summary>
public static class EventItem
{
    public const string Key = "pk";
    public const string ExpiresAt = "expiresAt";
    public const string FingerprintAttribute = "fingerprint";
    public const int CompressAbove = 4 * 1024;

    /// <summary>Attributes that operations filter on (ISO 8601 UTC text for the time).</summary>
    public const string ReceivedAtAttribute = ReceivedAt, PublisherAttribute = Publisher, TypeAttribute = Type;

    private const string Id = "id", Publisher = "publisher", Type = "type", Source = "source", SpecVersion = "specversion",
        Subject = "subject", Time = "time", DataContentType = "datacontenttype", DataSchema = "dataschema", Data = "data",
        DataGzip = "dataGzip", DataBinary = "dataBinary", ReceivedAt = "receivedAt", OriginRegion = "originRegion",
        TraceParent = "traceparent", TraceState = "tracestate", Extensions = "extensions", Sensitive = "sensitive",
        SensitiveAction = "action", SensitiveDetectors = "detectors";

    public static string KeyOf(string publisher, string id) => $"{publisher}#{id}";

    public static Dictionary<string, AttributeValue> ToItem(EventEnvelope e, TimeSpan retention)
    {
        var item = new Dictionary<string, AttributeValue>(20, StringComparer.Ordinal)
        {
            [Key] = S(KeyOf(e.Publisher, e.Id)),
            [Id] = S(e.Id),
            [Publisher] = S(e.Publisher),
            [Type] = S(e.Type),
            [Source] = S(e.Source),
            [SpecVersion] = S(e.SpecVersion),
            [ReceivedAt] = S(e.ReceivedAt.ToString("O", CultureInfo.InvariantCulture)),
            [OriginRegion] = S(e.OriginRegion),
            [ExpiresAt] = N((e.ReceivedAt + retention).ToUnixTimeSeconds()),
        };
        AddIfPresent(item, Subject, e.Subject);
        AddIfPresent(item, Time, e.Time?.ToString("O", CultureInfo.InvariantCulture));
        AddIfPresent(item, DataContentType, e.DataContentType);
        AddIfPresent(item, DataSchema, e.DataSchema);
        AddIfPresent(item, TraceParent, e.TraceParent);
        AddIfPresent(item, TraceState, e.TraceState);
        AddIfPresent(item, FingerprintAttribute, e.Fingerprint);
        AddData(item, e);
        if (e.Extensions is { Count: > 0 } extensions)
        {
            item[Extensions] = new AttributeValue { M = extensions.ToDictionary(x => x.Key, x => S(x.Value), StringComparer.Ordinal) };
        }

        if (e.Sensitive is { } sensitive)
        {
            item[Sensitive] = new AttributeValue
            {
                M = new Dictionary<string, AttributeValue>
                {
                    [SensitiveAction] = S(sensitive.Action),
                    [SensitiveDetectors] = new() { M = sensitive.Detectors.ToDictionary(d => d.Key, d => N(d.Value), StringComparer.Ordinal) },
                },
            };
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
        Data = Optional(item, Data) is { } text ? JsonPayload.FromString(text)
            : item.TryGetValue(DataGzip, out var gz) && gz.B is { } compressed ? JsonPayload.FromUtf8(Decompress(compressed)) : null,
        DataBinary = item.TryGetValue(DataBinary, out var binary) && binary.B is { } bytes ? bytes.ToArray() : null,
        ReceivedAt = Timestamp(item, ReceivedAt) ?? throw new FormatException($"The event item has no '{ReceivedAt}'."),
        OriginRegion = Required(item, OriginRegion),
        TraceParent = Optional(item, TraceParent),
        TraceState = Optional(item, TraceState),
        Fingerprint = Optional(item, FingerprintAttribute),
        Extensions = item.TryGetValue(Extensions, out var extensions) && extensions.M is { Count: > 0 } map
            ? map.ToDictionary(x => x.Key, x => x.Value.S ?? throw new FormatException($"Extension '{x.Key}' is not a string attribute."), StringComparer.Ordinal)
            : null,
        Sensitive = item.TryGetValue(Sensitive, out var sensitive) && sensitive.M is { } s ? ReadSensitivity(s) : null,
    };

    private static void AddData(Dictionary<string, AttributeValue> item, EventEnvelope e)
    {
        if (e.DataBinary is { } binary)
        {
            item[DataBinary] = new AttributeValue { B = new MemoryStream(binary) };
        }
        else if (e.Data is { } data)
        {
            item[data.Length > CompressAbove ? DataGzip : Data] = data.Length > CompressAbove
                ? new AttributeValue { B = new MemoryStream(Compress(data.Utf8.Span)) }
                : S(data.ToString());
        }
    }

    private static byte[] Compress(ReadOnlySpan<byte> bytes)
    {
        using var output = new MemoryStream(bytes.Length / 3);
        using (var gzip = new GZipStream(output, CompressionLevel.Fastest))
        {
            gzip.Write(bytes);
        }

        return output.ToArray();
    }

    private static byte[] Decompress(MemoryStream compressed)
    {
        try
        {
            var bytes = compressed.TryGetBuffer(out var buffer) ? buffer : new ArraySegment<byte>(compressed.ToArray());
            using var gzip = new GZipStream(new MemoryStream(bytes.Array!, bytes.Offset, bytes.Count), CompressionMode.Decompress);
            using var output = new MemoryStream();
            gzip.CopyTo(output);
            return output.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw new FormatException($"The event item's '{DataGzip}' is not gzip data: {e.Message}", e);
        }
    }

    private static Sensitivity ReadSensitivity(Dictionary<string, AttributeValue> map) => new(
        map.TryGetValue(SensitiveAction, out var action) ? action.S ?? Sensitivity.Flagged : Sensitivity.Flagged,
        map.TryGetValue(SensitiveDetectors, out var detectors) && detectors.M is { } counts
            ? counts.ToDictionary(c => c.Key, c => int.Parse(c.Value.N ?? "0", CultureInfo.InvariantCulture), StringComparer.Ordinal)
            : new Dictionary<string, int>());

    private static AttributeValue S(string value) => new() { S = value };

    private static AttributeValue N(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };

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
