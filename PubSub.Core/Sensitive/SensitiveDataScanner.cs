using System.Buffers;
using System.Text;
using System.Text.Json;

namespace PubSub.Sensitive;

/// <summary>Scans every string, member name and number of a JSON document (and single strings) for
/// sensitive data, and rewrites a document with each token that holds a finding replaced as a whole by
/// <c>"[REDACTED:Detector]"</c> (a number becomes that string; a member name gets a number, one no member name
/// of the document has, so that names stay unique). The rest of the document keeps its bytes.</summary>
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
        [.. TextScanner.Find(text, propertyName).Select(m => new SensitiveFinding(m.Detector, path, Masking.Mask(m.Detector, m.Value)))];

    /// <summary>The document with every token that holds a finding replaced; throws <see cref="JsonException"/>
    /// when it is not JSON.</summary>
    public static byte[] Redact(ReadOnlyMemory<byte> utf8Json)
    {
        var json = utf8Json.Span;
        var output = new ArrayBufferWriter<byte>(json.Length + 64);
        var reader = new Utf8JsonReader(json, ReaderOptions);
        var member = MemberName.None;
        var copied = 0;
        var names = 0;
        var taken = NamesLikeReplacements(json);
        while (reader.Read())
        {
            var matches = TokenScanner.Find(ref reader, json, member);
            var isName = reader.TokenType == JsonTokenType.PropertyName;
            member = isName ? MemberName.Of(ref reader) : MemberName.None;
            if (matches is null)
            {
                continue;
            }

            var start = (int)reader.TokenStartIndex;
            output.Write(json[copied..start]);
            var replacement = Replacement(matches);
            if (isName)
            {
                var name = replacement;
                do
                {
                    replacement = $"{name}#{++names}";
                }
                while (taken?.Contains(replacement) == true);
            }

            output.Write(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(replacement, Json.JsonStrings.Default.String)));
            copied = start + reader.ValueSpan.Length + (reader.TokenType == JsonTokenType.Number ? 0 : 2);
        }

        output.Write(json[copied..]);
        return output.WrittenSpan.ToArray();
    }

    /// <summary>The document's member names that look like a replacement name, which a replacement must
    /// not repeat (numbering alone would give <c>{"[REDACTED:Email]#1":1,"[REDACTED:Email]#1":2}</c>).</summary>
    private static HashSet<string>? NamesLikeReplacements(ReadOnlySpan<byte> json)
    {
        HashSet<string>? taken = null;
        var reader = new Utf8JsonReader(json, ReaderOptions);
        while (reader.Read())
        {
            if (reader.TokenType == JsonTokenType.PropertyName && (reader.ValueIsEscaped || reader.ValueSpan.StartsWith("[REDACTED:"u8))
                && reader.GetString() is { } name && name.StartsWith("[REDACTED:", StringComparison.Ordinal))
            {
                (taken ??= new HashSet<string>(StringComparer.Ordinal)).Add(name);
            }
        }

        return taken;
    }

    /// <summary>One string, replaced as a whole when it holds a finding.</summary>
    public static string RedactText(string text, string? propertyName = null) =>
        TextScanner.Find(text, propertyName) is { Count: > 0 } matches ? Replacement(matches) : text;

    /// <summary>Names every detector that matched, in order, once.</summary>
    private static string Replacement(List<TextMatch> matches) =>
        Replacement(string.Join(",", matches.Select(m => m.Detector).Distinct()));
}
