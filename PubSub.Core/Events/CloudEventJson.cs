using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace PubSub.Events;

/// <summary>Writes an envelope as a structured-mode CloudEvent (JSON event format): the message body
/// subscribers receive and the document routes are matched against. The system adds the extension
/// attributes <c>publisher</c> and, when sensitive data was found, <c>sensitive</c> (flagged) or
/// <c>redacted</c>.</summary>
public static class CloudEventJson
{
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

    private static void WriteIfPresent(Utf8JsonWriter writer, string name, string? value)
    {
        if (value is not null)
        {
            writer.WriteString(name, value);
        }
    }
}
