using System.Buffers;
using System.Globalization;
using System.Text.Json;
using PubSub.Json;

namespace PubSub.Events;

/// <summary>Writes an envelope as a structured-mode CloudEvent (JSON event format): the message body
/// subscribers receive and the document routes are matched against. The system adds the extension
/// attributes <c>publisher</c> and, when sensitive data was found, <c>sensitive</c> (flagged) or
/// <c>redacted</c>. Reads back what it wrote (a dead letter's event, to replay it).</summary>
public static class CloudEventJson
{
    /// <summary>The members <see cref="Write"/> writes from envelope properties; every other member is an extension.</summary>
    private static readonly HashSet<string> WrittenAttributes = new(StringComparer.Ordinal)
    {
        "specversion", "id", "source", "type", "subject", "time", "datacontenttype", "dataschema", "publisher", "sensitive", "redacted",
        "data", "data_base64",
    };

    public static byte[] ToUtf8Bytes(EventEnvelope e)
    {
        var buffer = new ArrayBufferWriter<byte>(512 + (e.Data?.Length ?? 0) + (e.DataBinary?.Length * 4 / 3 ?? 0));
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, e);
        }

        return buffer.WrittenSpan.ToArray();
    }

    public static string ToJson(EventEnvelope e) => System.Text.Encoding.UTF8.GetString(ToUtf8Bytes(e));

    public static void Write(Utf8JsonWriter writer, EventEnvelope e)
    {
        writer.WriteStartObject();
        writer.WriteString("specversion", e.SpecVersion);
        writer.WriteString("id", e.Id);
        writer.WriteString("source", e.Source);
        writer.WriteString("type", e.Type);
        WriteIfPresent(writer, "subject", e.Subject);
        WriteIfPresent(writer, "time", e.Time?.ToString("O", CultureInfo.InvariantCulture));
        WriteIfPresent(writer, "datacontenttype", e.DataContentType);
        WriteIfPresent(writer, "dataschema", e.DataSchema);
        if (e.Extensions is not null)
        {
            foreach (var (name, json) in e.Extensions)
            {
                writer.WritePropertyName(name);
                writer.WriteRawValue(json, skipInputValidation: false);
            }
        }

        writer.WriteString("publisher", e.Publisher);
        if (e.Sensitive is { } sensitive)
        {
            // Flagged events still hold the sensitive data; redacted ones hold placeholders instead.
            writer.WriteBoolean(sensitive.Action == Sensitivity.Redacted ? "redacted" : "sensitive", true);
        }

        if (e.DataBinary is not null)
        {
            writer.WriteBase64String("data_base64", e.DataBinary);
        }
        else if (e.Data is not null)
        {
            writer.WritePropertyName("data");
            writer.WriteRawValue(e.Data.Utf8.Span, skipInputValidation: false);
        }

        writer.WriteEndObject();
    }

    /// <summary>The envelope of a CloudEvent that <see cref="Write"/> wrote. The CloudEvent does not carry the receipt
    /// time, origin region, trace context or fingerprint (the caller adds what it kept of them), and of the sensitive
    /// data found only the action: enough to publish it again exactly as it was published.</summary>
    /// <exception cref="JsonException">Not a JSON object.</exception>
    /// <exception cref="InvalidOperationException">A required attribute is missing or a value has the wrong kind.</exception>
    public static EventEnvelope Read(ReadOnlyMemory<byte> utf8, DateTimeOffset receivedAt, string originRegion)
    {
        using var document = JsonDocument.Parse(utf8);
        var root = document.RootElement;
        var extensions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var member in root.EnumerateObject())
        {
            if (!WrittenAttributes.Contains(member.Name))
            {
                extensions[member.Name] = member.Value.GetRawText();
            }
        }

        return new EventEnvelope
        {
            SpecVersion = Required(root, "specversion"),
            Id = Required(root, "id"),
            Source = Required(root, "source"),
            Type = Required(root, "type"),
            Subject = Optional(root, "subject"),
            Time = Optional(root, "time") is { } time ? DateTimeOffset.Parse(time, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind) : null,
            DataContentType = Optional(root, "datacontenttype"),
            DataSchema = Optional(root, "dataschema"),
            Extensions = extensions.Count > 0 ? extensions : null,
            Publisher = Required(root, "publisher"),
            Sensitive = IsTrue(root, "sensitive") ? new Sensitivity(Sensitivity.Flagged, new Dictionary<string, int>())
                : IsTrue(root, "redacted") ? new Sensitivity(Sensitivity.Redacted, new Dictionary<string, int>())
                : null,
            DataBinary = root.TryGetProperty("data_base64", out var binary) ? binary.GetBytesFromBase64() : null,
            Data = root.TryGetProperty("data", out var data) ? JsonPayload.FromString(data.GetRawText()) : null,
            ReceivedAt = receivedAt,
            OriginRegion = originRegion,
        };
    }

    private static string Required(JsonElement root, string name) =>
        Optional(root, name) ?? throw new InvalidOperationException($"The CloudEvent has no '{name}'.");

    private static string? Optional(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind != JsonValueKind.Null ? value.GetString() : null;

    private static bool IsTrue(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    private static void WriteIfPresent(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
