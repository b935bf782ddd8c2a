using PubSub.Json;

namespace PubSub.Events;

/// <summary>An accepted event: the CloudEvents 1.0 attributes the publisher sent, its data, and what
/// the system adds (publisher, receipt time, origin region, trace context, sensitivity, fingerprint).</summary>
public sealed record EventEnvelope
{
    public const string CloudEventsSpecVersion = "1.0";

    public required string Id { get; init; }
    public required string Source { get; init; }
    public required string Type { get; init; }
    public string SpecVersion { get; init; } = CloudEventsSpecVersion;
    public string? Subject { get; init; }
    public DateTimeOffset? Time { get; init; }
    public string? DataContentType { get; init; }
    public string? DataSchema { get; init; }

    /// <summary>The event's data as JSON (UTF-8), or null (no data, or binary data).</summary>
    public JsonPayload? Data { get; init; }

    /// <summary>Binary data (CloudEvents <c>data_base64</c>), or null.</summary>
    public byte[]? DataBinary { get; init; }

    /// <summary>CloudEvents extension attributes, each value as its JSON text (a string, number or boolean).</summary>
    public IReadOnlyDictionary<string, string>? Extensions { get; init; }

    /// <summary>The publisher whose API key sent the event.</summary>
    public required string Publisher { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>The region that accepted the event; global tables replicate it into the others.</summary>
    public required string OriginRegion { get; init; }

    /// <summary>W3C trace context of the ingestion request, so the stream side continues the trace.</summary>
    public string? TraceParent { get; init; }

    public string? TraceState { get; init; }

    /// <summary>Sensitive data found when the event was accepted (flagged or redacted), or null.</summary>
    public Sensitivity? Sensitive { get; init; }

    /// <summary>A hash of what the publisher sent, to tell a retry from a different event with a reused id.</summary>
    public string? Fingerprint { get; init; }
}

/// <param name="Action"><c>flag</c> (delivered as sent) or <c>redact</c> (the findings were replaced).</param>
/// <param name="Detectors">How many findings of each detector.</param>
public sealed record Sensitivity(string Action, IReadOnlyDictionary<string, int> Detectors)
{
    public const string Flagged = "flag";
    public const string Redacted = "redact";
}
