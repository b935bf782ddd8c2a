using System.Text;
using System.Text.Json;
using PubSub.Definition;
using PubSub.Events;
using PubSub.Json;
using PubSub.Sensitive;

namespace PubSub.Ingestion.Core.Sensitive;

/// <summary>Applies a publisher's sensitive-data policy to an event: its data was scanned while it was
/// read; here the rest is scanned (<c>data_base64</c> when it is text, the subject, string extensions),
/// then the event is flagged, redacted or refused.</summary>
public static class SensitiveDataInspector
{
    public static Inspection Inspect(EventEnvelope e, SensitiveDataPolicy policy, IReadOnlyList<SensitiveFinding>? dataFindings)
    {
        if (policy == SensitiveDataPolicy.Allow)
        {
            return new Inspection(e, []);
        }

        var findings = new List<SensitiveFinding>(dataFindings ?? []);
        var binaryText = TextOf(e.DataBinary);
        if (binaryText is not null)
        {
            findings.AddRange(SensitiveDataScanner.ScanText(binaryText, "$.data_base64"));
        }

        if (e.Subject is { } subject)
        {
            findings.AddRange(SensitiveDataScanner.ScanText(subject, "$.subject", "subject"));
        }

        foreach (var (name, json) in e.Extensions ?? new Dictionary<string, string>())
        {
            if (StringValue(json) is { } text)
            {
                findings.AddRange(SensitiveDataScanner.ScanText(text, "$." + name, name));
            }
        }

        if (findings.Count == 0 || policy == SensitiveDataPolicy.Reject)
        {
            return new Inspection(e, findings);
        }

        var counts = Counts(findings);
        return policy == SensitiveDataPolicy.Flag
            ? new Inspection(e with { Sensitive = new Sensitivity(Sensitivity.Flagged, counts) }, findings)
            : new Inspection(Redact(e, binaryText) with { Sensitive = new Sensitivity(Sensitivity.Redacted, counts) }, findings);
    }

    public static Dictionary<string, int> Counts(IEnumerable<SensitiveFinding> findings) =>
        findings.GroupBy(f => f.Detector).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    private static EventEnvelope Redact(EventEnvelope e, string? binaryText) => e with
    {
        Data = e.Data is null ? null : JsonPayload.FromUtf8(SensitiveDataScanner.Redact(e.Data.Utf8)),
        DataBinary = binaryText is null ? e.DataBinary : Encoding.UTF8.GetBytes(SensitiveDataScanner.RedactText(binaryText)),
        Subject = e.Subject is null ? null : SensitiveDataScanner.RedactText(e.Subject, "subject"),
        Extensions = e.Extensions?.ToDictionary(
            x => x.Key,
            x => StringValue(x.Value) is { } text
                ? JsonSerializer.Serialize(SensitiveDataScanner.RedactText(text, x.Key), JsonStrings.Default.String)
                : x.Value,
            StringComparer.Ordinal),
    };

    /// <summary>Binary data is scanned when it is UTF-8 text; other bytes cannot hold readable secrets
    /// the detectors know.</summary>
    private static string? TextOf(byte[]? bytes)
    {
        if (bytes is null)
        {
            return null;
        }

        try
        {
            return new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }

    private static string? StringValue(string json) =>
        json.StartsWith('"') ? JsonSerializer.Deserialize(json, JsonStrings.Default.String) : null;
}

/// <param name="Envelope">The event as it will be stored (marked, or redacted).</param>
/// <param name="Findings">Everything found; empty when clean or not scanned.</param>
public sealed record Inspection(EventEnvelope Envelope, IReadOnlyList<SensitiveFinding> Findings);
