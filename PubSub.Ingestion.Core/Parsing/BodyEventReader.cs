using System.Text.Json;
using PubSub.Events;
using PubSub.Json;
using PubSub.Sensitive;

namespace PubSub.Ingestion.Core.Parsing;

/// <summary>Events whose data is the whole body: binary mode (attributes in percent-encoded
/// <c>ce-*</c> headers) and plain JSON (type from <c>ce-type</c> or the body's <c>type</c> member; id
/// from <c>ce-id</c> or <c>Idempotency-Key</c>, else a new UUIDv7; source from <c>ce-source</c>, else
/// the publisher).</summary>
internal static class BodyEventReader
{
    private const string Prefix = "ce-";
    private const string IdempotencyKey = "idempotency-key";
    private static readonly string[] Required = ["specversion", "id", "source", "type"];
    private static readonly string[] LimitedAttributes = ["source", "type", "subject", "dataschema"];

    public static bool IsBinaryMode(IReadOnlyDictionary<string, string> headers) => headers.ContainsKey(Prefix + "specversion");

    public static ParsedEvent ReadBinary(IngestionRequest request, JsonPayload? data, IReadOnlyList<SensitiveFinding>? findings)
    {
        var headers = request.Headers;
        var missing = Required
            .Where(name => string.IsNullOrEmpty(headers.GetValueOrDefault(Prefix + name)))
            .Select(name => Prefix + name)
            .ToList();
        if (missing.Count > 0)
        {
            return ParsedEvent.Refused(Problems.MissingAttributes(missing));
        }

        string? Header(string name) => headers.GetValueOrDefault(Prefix + name) is { } value ? Uri.UnescapeDataString(value) : null;

        if (CheckHeaders(headers, decode: true) is { } badHeader)
        {
            return ParsedEvent.Refused(badHeader);
        }

        var specVersion = Header("specversion");
        var id = Header("id")!;
        var badTime = AttributeRules.ParseTime(Header("time"), out var time);
        var problem = (specVersion == EventEnvelope.CloudEventsSpecVersion
                          ? null
                          : Problems.InvalidEvent($"ce-specversion must be \"1.0\", not \"{specVersion}\"."))
                      ?? AttributeRules.CheckId(id)
                      ?? badTime;
        foreach (var name in LimitedAttributes)
        {
            problem ??= AttributeRules.CheckLength(Prefix + name, Header(name));
        }

        var extensions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (header, value) in headers)
        {
            if (!header.StartsWith(Prefix, StringComparison.Ordinal) || AttributeRules.ContextAttributes.Contains(header[Prefix.Length..]))
            {
                continue;
            }

            var name = header[Prefix.Length..];
            problem ??= AttributeRules.CheckExtensionName(name, header) ?? AttributeRules.CheckLength(header, value);
            extensions[name] = JsonSerializer.Serialize(Uri.UnescapeDataString(value), JsonStrings.Default.String);
        }

        if (problem is not null)
        {
            return ParsedEvent.Refused(problem);
        }

        return ParsedEvent.Of(new EventEnvelope
        {
            Id = id,
            Source = Header("source")!,
            Type = Header("type")!,
            Subject = Header("subject"),
            Time = time,
            DataContentType = data is null ? null : request.ContentType,
            DataSchema = Header("dataschema"),
            Data = data,
            Extensions = extensions.Count > 0 ? extensions : null,
            Publisher = request.Publisher,
            ReceivedAt = default,
            OriginRegion = "",
        }, findings);
    }

    /// <summary>Every header the core reads: not empty where it gives an attribute, not a name the system sets,
    /// and only characters an attribute may hold (what SNS message attributes and FIFO keys take).</summary>
    private static Problem? CheckHeaders(IReadOnlyDictionary<string, string> headers, bool decode)
    {
        foreach (var (header, raw) in headers)
        {
            var isAttribute = header.StartsWith(Prefix, StringComparison.Ordinal);
            if (!isAttribute && header != IdempotencyKey)
            {
                continue;
            }

            var name = isAttribute ? header[Prefix.Length..] : "id";
            if (isAttribute && ReservedAttributes.Contains(name))
            {
                return Problems.ReservedAttribute(header);
            }

            var value = decode ? Uri.UnescapeDataString(raw) : raw;
            if (value.Length == 0 && (!isAttribute || AttributeRules.ContextAttributes.Contains(name)))
            {
                return Problems.InvalidEvent($"The {(isAttribute ? header : "Idempotency-Key")} header is empty; send a value or leave the header out.");
            }

            if (JsonFaults.CheckAttribute(header, value) is { } bad)
            {
                return bad;
            }
        }

        return null;
    }

    public static ParsedEvent ReadPlain(IngestionRequest request, JsonPayload data, string? bodyType, IReadOnlyList<SensitiveFinding>? findings)
    {
        var headers = request.Headers;
        if ((CheckHeaders(headers, decode: false) ?? JsonFaults.CheckAttribute("type", bodyType, "$.data.")) is { } badHeader)
        {
            return ParsedEvent.Refused(badHeader);
        }

        var type = headers.GetValueOrDefault("ce-type") ?? bodyType;
        if (string.IsNullOrEmpty(type))
        {
            return ParsedEvent.Refused(Problems.MissingAttributes(["type"]) with
            {
                Detail = "The event has no type: send a ce-type header or a \"type\" member in the JSON body.",
            });
        }

        var id = headers.GetValueOrDefault("ce-id") ?? headers.GetValueOrDefault(IdempotencyKey) ?? Guid.CreateVersion7().ToString();
        var source = headers.GetValueOrDefault("ce-source") ?? request.Publisher;
        var subject = headers.GetValueOrDefault("ce-subject");
        var problem = AttributeRules.ParseTime(headers.GetValueOrDefault("ce-time"), out var time)
                      ?? AttributeRules.CheckId(id)
                      ?? AttributeRules.CheckLength("type", type)
                      ?? AttributeRules.CheckLength("source", source)
                      ?? AttributeRules.CheckLength("subject", subject);
        if (problem is not null)
        {
            return ParsedEvent.Refused(problem);
        }

        return ParsedEvent.Of(new EventEnvelope
        {
            Id = id,
            Source = source,
            Type = type,
            Subject = subject,
            Time = time,
            DataContentType = "application/json",
            Data = data,
            Publisher = request.Publisher,
            ReceivedAt = default,
            OriginRegion = "",
        }, findings);
    }
}
