using System.Buffers;
using System.Text;
using System.Text.Json;

namespace PubSub.Sensitive;

/// <summary>Scans every string value of a JSON document (and single strings) for sensitive data,
/// and rewrites a document with each finding replaced by <c>[REDACTED:Detector]</c>.</summary>
public static class SensitiveDataScanner
{
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 256 };

    public static string Replacement(string detector) => $"[REDACTED:{detector}]";

    /// <summary>The findings in a JSON document; throws <see cref="JsonException"/> when it is not JSON.</summary>
    public static List<SensitiveFinding> Scan(ReadOnlySpan<byte> utf8Json, string rootPath = "$")
    {
        var findings = new List<SensitiveFinding>();
        Walk(utf8Json, rootPath, findings, writer: null);
        return findings;
    }

    /// <summary>The findings in one string value at <paramref name="path"/>.</summary>
    public static List<SensitiveFinding> ScanText(string text, string path, string? propertyName = null) =>
        [.. TextScanner.Find(text, propertyName).Select(m => Finding(m, text, path))];

    /// <summary>The document with every finding replaced; the output is compact JSON.</summary>
    public static byte[] Redact(ReadOnlySpan<byte> utf8Json, string rootPath = "$")
    {
        var buffer = new ArrayBufferWriter<byte>(utf8Json.Length + 64);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true }))
        {
            Walk(utf8Json, rootPath, [], writer);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>One string with every finding replaced.</summary>
    public static string RedactText(string text, string? propertyName = null) =>
        Redacted(text, TextScanner.Find(text, propertyName));

    private static void Walk(ReadOnlySpan<byte> json, string rootPath, List<SensitiveFinding> findings, Utf8JsonWriter? writer)
    {
        var reader = new Utf8JsonReader(json, ReaderOptions);
        var path = new JsonPathTracker(rootPath);
        while (reader.Read())
        {
            path.Track(ref reader);
            switch (reader.TokenType)
            {
                case JsonTokenType.PropertyName:
                    writer?.WritePropertyName(path.CurrentProperty!);
                    break;
                case JsonTokenType.StartObject:
                    writer?.WriteStartObject();
                    break;
                case JsonTokenType.EndObject:
                    writer?.WriteEndObject();
                    break;
                case JsonTokenType.StartArray:
                    writer?.WriteStartArray();
                    break;
                case JsonTokenType.EndArray:
                    writer?.WriteEndArray();
                    break;
                case JsonTokenType.String:
                    ScanString(ref reader, path, findings, writer);
                    break;
                default:
                    writer?.WriteRawValue(reader.ValueSpan, skipInputValidation: true);
                    break;
            }
        }
    }

    private static void ScanString(ref Utf8JsonReader reader, JsonPathTracker path, List<SensitiveFinding> findings, Utf8JsonWriter? writer)
    {
        // Most strings are plain ASCII with nothing suspicious: decide from the raw bytes, unallocated.
        if (!reader.ValueIsEscaped && !TextProfile.Of(reader.ValueSpan).MayContainSomething)
        {
            if (writer is not null)
            {
                writer.WriteStringValue(reader.ValueSpan);
            }

            return;
        }

        var text = reader.GetString()!;
        var matches = TextScanner.Find(text, path.CurrentProperty);
        if (matches.Count > 0)
        {
            var where = path.ToString();
            findings.AddRange(matches.Select(m => Finding(m, text, where)));
        }

        writer?.WriteStringValue(matches.Count > 0 ? Redacted(text, matches) : text);
    }

    private static SensitiveFinding Finding(TextMatch match, string text, string path) =>
        new(match.Detector, path, Masking.Mask(match.Detector, text.Substring(match.Start, match.Length)));

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
