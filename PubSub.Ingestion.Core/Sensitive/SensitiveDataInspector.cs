using System.Text;
using System.Text.Json;
using PubSub.Definition;
using PubSub.Events;
using PubSub.Json;
using PubSub.Sensitive;

namespace PubSub.Ingestion.Core.Sensitive;

/// <summary>Applies a publisher's sensitive-data policy to an event: its data was scanned while it was
/// read; here the rest is scanned (the <c>id</c>, <c>source</c>, <c>type</c>, <c>subject</c>, <c>dataschema</c>
/// and <c>datacontenttype</c> attributes, <c>data_base64</c> read as UTF-8, extensions' names and their string
/// and number values), then the event is flagged, redacted or refused. Redaction replaces whole values; an
/// extension whose name holds a finding is dropped; <c>id</c>, <c>source</c> and <c>type</c> identify and route
/// the event, and <c>dataschema</c> and <c>datacontenttype</c> describe the data, so none is redacted: under
/// <c>redact</c> a finding there refuses the event.</summary>
public static class SensitiveDataInspector
{
    /// <summary>What paths and logs show instead of an attribute that holds a finding.</summary>
    public const string Hidden = "[*]";

    public static Inspection Inspect(EventEnvelope e, SensitiveDataPolicy policy, IReadOnlyList<SensitiveFinding>? dataFindings)
    {
        if (policy == SensitiveDataPolicy.Allow)
        {
            return new Inspection(e, [], e.Id, e.Type, Refused: false);
        }

        var findings = new List<SensitiveFinding>();
        var identity = Scan(findings, "$.id", e.Id) | Scan(findings, "$.source", e.Source) | Scan(findings, "$.type", e.Type);
        var id = findings.Any(f => f.Path == "$.id") ? Hidden : e.Id;
        var type = findings.Any(f => f.Path == "$.type") ? Hidden : e.Type;
        var unredactable = (e.DataSchema is { } schema && Scan(findings, "$.dataschema", schema, "dataschema"))
                           | (e.DataContentType is { } contentType && Scan(findings, "$.datacontenttype", contentType, "datacontenttype"));
        findings.AddRange(dataFindings ?? []);
        var binaryText = TextOf(e.DataBinary);
        if (binaryText is not null)
        {
            Scan(findings, "$.data_base64", binaryText);
        }

        if (e.Subject is { } subject)
        {
            Scan(findings, "$.subject", subject, "subject");
        }

        foreach (var (name, json) in e.Extensions ?? new Dictionary<string, string>())
        {
            if (!Scan(findings, "$" + Hidden, name) && ValueText(json) is { } text)
            {
                Scan(findings, "$." + name, text, name);
            }
        }

        if (findings.Count == 0 || policy == SensitiveDataPolicy.Reject)
        {
            return new Inspection(e, findings, id, type, Refused: findings.Count > 0);
        }

        var counts = Counts(findings);
        return policy == SensitiveDataPolicy.Flag || identity || unredactable
            ? new Inspection(e with { Sensitive = new Sensitivity(Sensitivity.Flagged, counts) }, findings, id, type,
                Refused: identity || (unredactable && policy == SensitiveDataPolicy.Redact))
            : new Inspection(Redact(e, binaryText) with { Sensitive = new Sensitivity(Sensitivity.Redacted, counts) }, findings, id, type, Refused: false);
    }

    public static Dictionary<string, int> Counts(IEnumerable<SensitiveFinding> findings) =>
        findings.GroupBy(f => f.Detector).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    private static bool Scan(List<SensitiveFinding> findings, string path, string text, string? propertyName = null)
    {
        var found = SensitiveDataScanner.ScanText(text, path, propertyName);
        findings.AddRange(found);
        return found.Count > 0;
    }

    private static EventEnvelope Redact(EventEnvelope e, string? binaryText) => e with
    {
        Data = e.Data is null ? null : JsonPayload.FromUtf8(SensitiveDataScanner.Redact(e.Data.Utf8)),
        // Bytes without a finding are kept as they are (the text read from them may be lossy).
        DataBinary = binaryText is not null && SensitiveDataScanner.RedactText(binaryText) is var redacted && !ReferenceEquals(redacted, binaryText)
            ? Encoding.UTF8.GetBytes(redacted)
            : e.DataBinary,
        Subject = e.Subject is null ? null : SensitiveDataScanner.RedactText(e.Subject, "subject"),
        Extensions = e.Extensions?
            .Where(x => SensitiveDataScanner.ScanText(x.Key, "$").Count == 0)
            .ToDictionary(x => x.Key, x => RedactValue(x.Key, x.Value), StringComparer.Ordinal),
    };

    /// <summary>A string or number that holds a finding becomes the replacement string.</summary>
    private static string RedactValue(string name, string json) =>
        ValueText(json) is { } text && SensitiveDataScanner.RedactText(text, name) is var redacted && !ReferenceEquals(redacted, text)
            ? JsonSerializer.Serialize(redacted, JsonStrings.Default.String)
            : json;

    /// <summary>Binary data is scanned as UTF-8 text (bytes that are not become U+FFFD).</summary>
    private static string? TextOf(byte[]? bytes)
    {
        if (bytes is null)
        {
            return null;
        }

        // Lossy: a byte that is not UTF-8 becomes U+FFFD, so one bad byte cannot hide the text around it.
        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>A string extension's value, or a number's text (<c>true</c>, <c>false</c> hold nothing).</summary>
    private static string? ValueText(string json) => json switch
    {
        ['"', ..] => JsonSerializer.Deserialize(json, JsonStrings.Default.String),
        ['-' or (>= '0' and <= '9'), ..] => NumberText.ScanText(json),
        _ => null,
    };
}

/// <param name="Envelope">The event as it will be stored (marked, or redacted).</param>
/// <param name="Findings">Everything found; empty when clean or not scanned.</param>
/// <param name="SafeId">The id, or <see cref="SensitiveDataInspector.Hidden"/> when it holds a finding (for logs and alerts).</param>
/// <param name="SafeType">The type, likewise.</param>
/// <param name="Refused">Whether the event must be refused: policy <c>reject</c>, or a finding that cannot be redacted.</param>
public sealed record Inspection(EventEnvelope Envelope, IReadOnlyList<SensitiveFinding> Findings, string SafeId, string SafeType, bool Refused);
