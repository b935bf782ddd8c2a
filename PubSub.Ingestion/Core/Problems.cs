namespace PubSub.Ingestion.Core;

/// <summary>Every kind of error the ingestion API answers with. The type URIs are stable: publishers
/// may branch on them. They are listed in the README.</summary>
public static class Problems
{
    private const string Prefix = "urn:pubsub:problem:";

    public static Problem MissingApiKey() => new(401, Prefix + "missing-api-key", "API key required",
        "Send your API key in the x-api-key header.");

    public static Problem InvalidApiKey() => new(403, Prefix + "invalid-api-key", "API key not accepted",
        "The API key is unknown or has been revoked.");

    public static Problem UnsupportedMediaType(string? contentType) => new(415, Prefix + "unsupported-media-type",
        "Unsupported media type",
        $"Content-Type '{contentType ?? "(none)"}' is not accepted; send application/cloudevents+json or application/json.");

    public static Problem PayloadTooLarge(long limit) => new(413, Prefix + "payload-too-large", "Event too large",
        $"An event may be at most {limit} bytes.");

    public static Problem MalformedJson(string detail) => new(400, Prefix + "malformed-json", "Malformed JSON", detail);

    public static Problem InvalidEvent(string detail) => new(400, Prefix + "invalid-event", "Invalid event", detail);

    public static Problem MissingAttributes(IReadOnlyList<string> names) => new(400, Prefix + "missing-attributes",
        "Missing required attributes", $"The event lacks required attribute(s): {string.Join(", ", names)}.")
    {
        Extensions = new Dictionary<string, object?> { ["missing"] = names },
    };

    public static Problem StoreUnavailable() => new(503, Prefix + "store-unavailable", "Temporarily unavailable",
        "The event could not be stored and was not accepted; send it again.")
    {
        RetryAfterSeconds = 5,
    };
}
