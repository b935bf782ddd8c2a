using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.RegularExpressions;
using PubSub.Events;

namespace PubSub.Ingestion.Core;

/// <summary>Turns a request into an event envelope, or into the problem that explains why not.
/// Accepted forms: a structured CloudEvent (<c>application/cloudevents+json</c>, or <c>application/json</c>
/// whose object carries <c>specversion</c>), and plain JSON whose type comes from the <c>ce-type</c> header or
/// the body's <c>type</c> field (the body becomes the event's data; <c>ce-id</c>, <c>ce-source</c>,
/// <c>ce-subject</c>, <c>ce-time</c> and <c>Idempotency-Key</c> headers are honoured).</summary>
public static partial class CloudEventParser
{
    public const int MaxEventBytes = 256 * 1024;
    public const int MaxJsonDepth = 64;
    private const int MaxIdLength = 256;

    private static readonly JsonDocumentOptions JsonOptions = new() { MaxDepth = MaxJsonDepth };

    private static readonly HashSet<string> ContextAttributes = new(StringComparer.Ordinal)
    {
        "specversion", "id", "source", "type", "subject", "time", "datacontenttype", "dataschema", "data", "data_base64",
    };

    /// <summary>Attribute names the system sets itself; a publisher may not send them.</summary>
    private static readonly HashSet<string> ReservedExtensions = new(StringComparer.Ordinal) { "publisher" };

    public static bool TryParse(IngestionRequest request, EnvelopeStamp stamp, out EventEnvelope envelope, out Problem problem)
    {
        envelope = null!;
        problem = null!;
        if (request.Body.Length > MaxEventBytes)
        {
            problem = Problems.PayloadTooLarge(MaxEventBytes);
            return false;
        }

        var mode = ModeOf(request.ContentType);
        if (mode is Mode.Unsupported or Mode.Batch)
        {
            problem = mode == Mode.Batch
                ? Problems.UnsupportedMediaType(request.ContentType) with { Detail = "Batches (application/cloudevents-batch+json) are not accepted yet; send one event per request." }
                : Problems.UnsupportedMediaType(request.ContentType);
            return false;
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(request.Body, JsonOptions);
        }
        catch (JsonException e)
        {
            problem = Problems.MalformedJson($"The body is not valid JSON: {e.Message}");
            return false;
        }

        using (document)
        {
            var root = document.RootElement;
            var structured = mode == Mode.Structured
                             || (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("specversion", out _));
            return structured
                ? TryParseStructured(root, request, stamp, out envelope, out problem)
                : TryParsePlain(root, request, stamp, out envelope, out problem);
        }
    }

    private static bool TryParseStructured(JsonElement root, IngestionRequest request, EnvelopeStamp stamp,
        out EventEnvelope envelope, out Problem problem)
    {
        envelope = null!;
        if (root.ValueKind != JsonValueKind.Object)
        {
            problem = Problems.InvalidEvent("A structured CloudEvent must be a JSON object.");
            return false;
        }

        var missing = new List<string>();
        string? Attribute(string name, bool required)
        {
            if (root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text)
            {
                return text;
            }

            if (required)
            {
                missing.Add(name);
            }

            return null;
        }

        var specVersion = Attribute("specversion", true);
        var id = Attribute("id", true);
        var source = Attribute("source", true);
        var type = Attribute("type", true);
        if (missing.Count > 0)
        {
            problem = Problems.MissingAttributes(missing);
            return false;
        }

        if (specVersion != EventEnvelope.CloudEventsSpecVersion)
        {
            problem = Problems.InvalidEvent($"specversion must be \"1.0\", not \"{specVersion}\".");
            return false;
        }

        if (root.TryGetProperty("data_base64", out _))
        {
            problem = Problems.InvalidEvent("data_base64 is not accepted yet; send JSON data in \"data\".");
            return false;
        }

        if (!TryTime(root.TryGetProperty("time", out var t) ? t.GetString() : null, out var time, out problem)
            || !TryId(id!, out problem)
            || !TryExtensions(root, out var extensions, out problem))
        {
            return false;
        }

        var data = root.TryGetProperty("data", out var d) && d.ValueKind != JsonValueKind.Null ? d.GetRawText() : null;
        envelope = stamp.Apply(new EventEnvelope
        {
            Id = id!,
            Source = source!,
            Type = type!,
            Subject = Attribute("subject", false),
            Time = time,
            DataContentType = Attribute("datacontenttype", false) ?? (data is null ? null : "application/json"),
            DataSchema = Attribute("dataschema", false),
            Data = data,
            Extensions = extensions,
            Publisher = request.Publisher,
            ReceivedAt = default,
            OriginRegion = "",
        });
        return true;
    }

    private static bool TryParsePlain(JsonElement root, IngestionRequest request, EnvelopeStamp stamp,
        out EventEnvelope envelope, out Problem problem)
    {
        envelope = null!;
        var headers = request.Headers;
        var type = headers.GetValueOrDefault("ce-type")
                   ?? (root.ValueKind == JsonValueKind.Object && root.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String
                       ? t.GetString()
                       : null);
        if (string.IsNullOrEmpty(type))
        {
            problem = Problems.MissingAttributes(["type"]) with
            {
                Detail = "The event has no type: send a ce-type header or a \"type\" field in the JSON body.",
            };
            return false;
        }

        var id = headers.GetValueOrDefault("ce-id") ?? headers.GetValueOrDefault("idempotency-key") ?? Guid.CreateVersion7().ToString();
        if (!TryTime(headers.GetValueOrDefault("ce-time"), out var time, out problem) || !TryId(id, out problem))
        {
            return false;
        }

        envelope = stamp.Apply(new EventEnvelope
        {
            Id = id,
            Source = headers.GetValueOrDefault("ce-source") ?? request.Publisher,
            Type = type,
            Subject = headers.GetValueOrDefault("ce-subject"),
            Time = time,
            DataContentType = "application/json",
            Data = root.GetRawText(),
            Publisher = request.Publisher,
            ReceivedAt = default,
            OriginRegion = "",
        });
        return true;
    }

    private static bool TryTime(string? text, out DateTimeOffset? time, out Problem problem)
    {
        time = null;
        problem = null!;
        if (text is null)
        {
            return true;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed)
            && text.Contains('T', StringComparison.Ordinal))
        {
            time = parsed;
            return true;
        }

        problem = Problems.InvalidEvent($"time \"{text}\" is not an RFC 3339 timestamp (for example 2024-05-01T12:00:00Z).");
        return false;
    }

    private static bool TryId(string id, out Problem problem)
    {
        problem = null!;
        if (id.Length <= MaxIdLength && !id.Any(char.IsControl))
        {
            return true;
        }

        problem = Problems.InvalidEvent($"id must be at most {MaxIdLength} characters without control characters.");
        return false;
    }

    private static bool TryExtensions(JsonElement root, out IReadOnlyDictionary<string, string>? extensions, out Problem problem)
    {
        extensions = null;
        problem = null!;
        Dictionary<string, string>? found = null;
        foreach (var property in root.EnumerateObject())
        {
            if (ContextAttributes.Contains(property.Name) || property.Value.ValueKind == JsonValueKind.Null)
            {
                continue;
            }

            if (ReservedExtensions.Contains(property.Name))
            {
                problem = Problems.InvalidEvent($"The attribute '{property.Name}' is set by the system and may not be sent.");
                return false;
            }

            if (!ExtensionName().IsMatch(property.Name)
                || property.Value.ValueKind is JsonValueKind.Object or JsonValueKind.Array)
            {
                problem = Problems.InvalidEvent(
                    $"'{property.Name}' is not a valid CloudEvents extension attribute: names are 1-20 lower-case letters or digits, values are strings, numbers or booleans.");
                return false;
            }

            (found ??= new Dictionary<string, string>(StringComparer.Ordinal))[property.Name] = property.Value.GetRawText();
        }

        extensions = found;
        return true;
    }

    private enum Mode
    {
        Structured,
        Json,
        Batch,
        Unsupported,
    }

    private static Mode ModeOf(string? contentType)
    {
        if (contentType is null || !MediaTypeHeaderValue.TryParse(contentType, out var media) || media.MediaType is null)
        {
            return Mode.Unsupported;
        }

        var type = media.MediaType.ToLowerInvariant();
        return type switch
        {
            "application/cloudevents+json" => Mode.Structured,
            "application/cloudevents-batch+json" => Mode.Batch,
            "application/json" => Mode.Json,
            _ when type.StartsWith("application/", StringComparison.Ordinal) && type.EndsWith("+json", StringComparison.Ordinal) => Mode.Json,
            _ => Mode.Unsupported,
        };
    }

    [GeneratedRegex("^[a-z0-9]{1,20}$")]
    private static partial Regex ExtensionName();
}
