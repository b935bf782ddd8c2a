using System.Text.Json;
using PubSub.Events;

namespace PubSub.Ingestion.Core.Parsing;

/// <summary>A structured-mode CloudEvent (the JSON event format): one JSON object holding the
/// attributes and <c>data</c> or <c>data_base64</c>.</summary>
internal static class StructuredEventReader
{
    public static ParsedEvent Read(JsonElement root, string publisher, int rawLength)
    {
        if (rawLength > EventLimits.MaxEventBytes)
        {
            return ParsedEvent.Refused(Problems.PayloadTooLarge(EventLimits.MaxEventBytes));
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            return ParsedEvent.Refused(Problems.InvalidEvent("A structured CloudEvent must be a JSON object."));
        }

        var missing = new List<string>();
        var problem = default(Problem);
        string? Attribute(string name, bool required)
        {
            if (!root.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                if (required)
                {
                    missing.Add(name);
                }

                return null;
            }

            if (value.ValueKind != JsonValueKind.String || value.GetString() is not { Length: > 0 } text)
            {
                problem ??= Problems.InvalidEvent($"{name} must be a non-empty string.");
                return null;
            }

            problem ??= AttributeRules.CheckLength(name, text);
            return text;
        }

        var specVersion = Attribute("specversion", true);
        var id = Attribute("id", true);
        var source = Attribute("source", true);
        var type = Attribute("type", true);
        var subject = Attribute("subject", false);
        var timeText = Attribute("time", false);
        var dataContentType = Attribute("datacontenttype", false);
        var dataSchema = Attribute("dataschema", false);
        if (missing.Count > 0)
        {
            return ParsedEvent.Refused(Problems.MissingAttributes(missing));
        }

        var badTime = AttributeRules.ParseTime(timeText, out var time);
        problem ??= specVersion == EventEnvelope.CloudEventsSpecVersion
            ? null
            : Problems.InvalidEvent($"specversion must be \"1.0\", not \"{specVersion}\".");
        problem ??= AttributeRules.CheckId(id!) ?? badTime;
        var badData = ReadData(root, out var data, out var binary);
        var badExtension = ReadExtensions(root, out var extensions);
        problem ??= badData ?? badExtension;
        if (problem is not null)
        {
            return ParsedEvent.Refused(problem);
        }

        var envelope = new EventEnvelope
        {
            Id = id!,
            Source = source!,
            Type = type!,
            Subject = subject,
            Time = time,
            DataContentType = dataContentType ?? (data is not null ? "application/json" : null),
            DataSchema = dataSchema,
            Data = data,
            DataBinary = binary,
            Extensions = extensions,
            Publisher = publisher,
            ReceivedAt = default,
            OriginRegion = "",
        };
        return ParsedEvent.Of(envelope with { Fingerprint = EventFingerprint.Of(envelope) });
    }

    private static Problem? ReadData(JsonElement root, out string? data, out byte[]? binary)
    {
        data = root.TryGetProperty("data", out var d) && d.ValueKind != JsonValueKind.Null ? d.GetRawText() : null;
        binary = null;
        if (!root.TryGetProperty("data_base64", out var b) || b.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (data is not null)
        {
            return Problems.InvalidEvent("An event carries either data or data_base64, not both.");
        }

        if (b.ValueKind != JsonValueKind.String || !b.TryGetBytesFromBase64(out binary))
        {
            return Problems.InvalidEvent("data_base64 must be a base64 string.");
        }

        return null;
    }

    private static Problem? ReadExtensions(JsonElement root, out IReadOnlyDictionary<string, string>? extensions)
    {
        extensions = null;
        Dictionary<string, string>? found = null;
        foreach (var property in root.EnumerateObject())
        {
            if (AttributeRules.ContextAttributes.Contains(property.Name) || property.Value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            if (AttributeRules.CheckExtensionName(property.Name) is { } badName)
            {
                return badName;
            }

            if (property.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
            {
                return Problems.InvalidEvent($"Extension '{property.Name}' must be a string, number or boolean.");
            }

            var raw = property.Value.GetRawText();
            if (AttributeRules.CheckLength(property.Name, raw) is { } tooLong)
            {
                return tooLong;
            }

            (found ??= new Dictionary<string, string>(StringComparer.Ordinal))[property.Name] = raw;
        }

        extensions = found;
        return null;
    }
}
