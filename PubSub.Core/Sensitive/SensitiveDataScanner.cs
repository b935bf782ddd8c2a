using System.Buffers;
using System.Text;
using System.Text.Json;
using PubSub.Json;

namespace PubSub.Sensitive;

/// <summary>Scans every string value of a JSON document (and single strings) for sensitive data,
/// and rewrites a document with each finding replaced by <c>[REDACTED:Detector]</c>.</summary>
public static class SensitiveDataScanner
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 256 };

    public static string Replacement(string detector) => $"[REDACTED:{detector}]";

    /// <summary>The findings in a JSON document; throws <see cref="JsonException"/> when it is not JSON.</summary>
    public static List<SensitiveFinding> Scan(ReadOnlyMemory<byte> utf8Json, string rootPath = "$")
    {
        var reader = new Utf8JsonReader(utf8Json.Span, ReaderOptions);
        if (!reader.Read())
        {
            throw new JsonException("The document is empty.");
        }

        var walk = JsonDataWalker.Walk(ref reader, utf8Json, rootPath, scan: true, maxStringLength: int.MaxValue);
        if (reader.Read())
        {
            throw new JsonException("The document holds more than one JSON value.");
        }

        return walk.Findings ?? [];
    }

    /// <summary>The findings in one string value at <paramref name="path"/>.</summary>
    public static List<SensitiveFinding> ScanText(string text, string path, string? propertyName = null) =>
        [.. TextScanner.Find(text, propertyName).Select(m => new SensitiveFinding(m.Detector, path, Masking.Mask(m.Detector, text.Substring(m.Start, m.Length))))];

    /// <summary>The document with every finding replaced; the output is compact JSON.</summary>
    public static byte[] Redact(ReadOnlyMemory<byte> utf8Json)
    {
        var buffer = new ArrayBufferWriter<byte>(utf8Json.Length + 64);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true }))
        {
            var reader = new Utf8JsonReader(utf8Json.Span, ReaderOptions);
            var path = new JsonPathTracker(utf8Json, "$");
            while (reader.Read())
            {
                path.Track(ref reader);
                switch (reader.TokenType)
                {
                    case JsonTokenType.PropertyName:
                        writer.WritePropertyName(reader.GetString()!);
                        break;
                    case JsonTokenType.StartObject:
                        writer.WriteStartObject();
                        break;
                    case JsonTokenType.EndObject:
                        writer.WriteEndObject();
                        break;
                    case JsonTokenType.StartArray:
                        writer.WriteStartArray();
                        break;
                    case JsonTokenType.EndArray:
                        writer.WriteEndArray();
                        break;
                    case JsonTokenType.String:
                        var text = reader.GetString()!;
                        writer.WriteStringValue(Redacted(text, TextScanner.Find(text, path.CurrentProperty)));
                        break;
                    default:
                        writer.WriteRawValue(reader.ValueSpan, skipInputValidation: true);
                        break;
                }
            }
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>One string with every finding replaced.</summary>
    public static string RedactText(string text, string? propertyName = null) =>
        Redacted(text, TextScanner.Find(text, propertyName));

    private static string Redacted(string text, List<TextMatch> matches)
    {
        if (matches.Count == 0)
        {
            return text;
        }

        var result = new StringBuilder(text.Length);
        var at = 0;
        foreach (var match in matches)
        {
            result.Append(text, at, match.Start - at).Append(Replacement(match.Detector));
            at = match.Start + match.Length;
        }

        return result.Append(text, at, text.Length - at).ToString();
    }
}
