using System.Text.Json;
using PubSub.Events;

namespace PubSub.Ingestion.Core.Parsing;

/// <summary>A binary-mode CloudEvent: attributes in <c>ce-*</c> headers (percent-encoded), the body
/// as the data and its Content-Type as <c>datacontenttype</c>. Only JSON data is accepted this way.</summary>
internal static class BinaryEventReader
{
    private const string Prefix = "ce-";
    private static readonly string[] Required = ["specversion", "id", "source", "type"];
    private static readonly string[] LimitedAttributes = ["source", "type", "subject", "dataschema"];

    public static ParsedEvent Read(IngestionRequest request, JsonElement? body)
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

        var specVersion = Header("specversion");
        var id = Header("id")!;
        var problem = specVersion == EventEnvelope.CloudEventsSpecVersion
            ? null
            : Problems.InvalidEvent($"ce-specversion must be \"1.0\", not \"{specVersion}\".");
        var badTime = AttributeRules.ParseTime(Header("time"), out var time);
        problem ??= AttributeRules.CheckId(id) ?? badTime;
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
            problem ??= AttributeRules.CheckExtensionName(name) ?? AttributeRules.CheckLength(header, value);
            extensions[name] = JsonSerializer.Serialize(Uri.UnescapeDataString(value), ParsingJsonContext.Default.String);
        }

        if (problem is not null)
        {
            return ParsedEvent.Refused(problem);
        }

        var envelope = new EventEnvelope
        {
            Id = id,
            Source = Header("source")!,
            Type = Header("type")!,
            Subject = Header("subject"),
            Time = time,
            DataContentType = body is null ? null : request.ContentType,
            DataSchema = Header("dataschema"),
            Data = body?.GetRawText(),
            Extensions = extensions.Count > 0 ? extensions : null,
            Publisher = request.Publisher,
            ReceivedAt = default,
            OriginRegion = "",
        };
        return ParsedEvent.Of(envelope with { Fingerprint = EventFingerprint.Of(envelope) });
    }

    public static bool IsBinaryMode(IReadOnlyDictionary<string, string> headers) => headers.ContainsKey(Prefix + "specversion");
}
