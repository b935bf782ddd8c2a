using System.Globalization;

namespace PubSub.Ingestion.Core;

/// <summary>Every kind of error the ingestion API answers with. The type URIs are stable: publishers
/// may branch on them. docs/publishing.md lists them.</summary>
public static class Problems
{
    private const string Prefix = "urn:pubsub:problem:";

    public static Problem MissingApiKey() => new(401, Prefix + "missing-api-key", "API key required",
        "Send your API key in the x-api-key header.");

    public static Problem InvalidApiKey() => new(403, Prefix + "invalid-api-key", "API key not accepted",
        "The API key is unknown or has been revoked.");

    public static Problem PublisherDisabled() => new(403, Prefix + "publisher-disabled", "Publisher disabled",
        "This publisher has been disabled; contact the operators of this system.");

    public static Problem RateLimited(int retryAfterSeconds, double rateLimit, int burstLimit) => new(429, Prefix + "rate-limited",
        "Too many requests",
        string.Create(CultureInfo.InvariantCulture, $"Your plan allows {rateLimit:0.##} {Plural(rateLimit, "request")} per second with bursts of {burstLimit}; retry after {retryAfterSeconds} s."))
    {
        RetryAfterSeconds = retryAfterSeconds,
    };

    public static Problem QuotaExceeded(long limit, string period, DateTimeOffset resetsAt, int retryAfterSeconds) => new(429,
        Prefix + "quota-exceeded", "Quota exceeded",
        string.Create(CultureInfo.InvariantCulture, $"Your plan's quota of {limit} {Plural(limit, "request")} per {period} is used up; it resets at {resetsAt:yyyy-MM-ddTHH:mm:ssZ}."))
    {
        RetryAfterSeconds = retryAfterSeconds,
        Extensions = new Dictionary<string, object?>
        {
            ["quota"] = limit,
            ["period"] = period,
            ["resetsAt"] = resetsAt.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        },
    };

    public static Problem UnsupportedMediaType(string? contentType) => new(415, Prefix + "unsupported-media-type",
        "Unsupported media type",
        $"Content-Type '{contentType ?? "(none)"}' is not accepted; send application/cloudevents+json, application/cloudevents-batch+json or application/json.");

    public static Problem PayloadTooLarge(long limit) => new(413, Prefix + "payload-too-large", "Too large",
        string.Create(CultureInfo.InvariantCulture, $"An event may be at most {limit / 1024} KiB here (a batch at most 1024 KiB)."));

    public static Problem MalformedJson(string detail) => new(400, Prefix + "malformed-json", "Malformed JSON", detail);

    public static Problem InvalidEvent(string detail) => new(400, Prefix + "invalid-event", "Invalid event", detail);

    public static Problem InvalidBatch(string detail) => new(400, Prefix + "invalid-batch", "Invalid batch", detail);

    public static Problem MissingAttributes(IReadOnlyList<string> names) => new(400, Prefix + "missing-attributes",
        "Missing required attributes", $"The event lacks required attribute(s): {string.Join(", ", names)}.")
    {
        Extensions = new Dictionary<string, object?> { ["missing"] = names },
    };

    public static Problem SchemaViolation(string type, IReadOnlyList<SchemaError> errors) => new(422, Prefix + "schema-violation",
        "Data does not match the schema",
        $"The data of a '{type}' event does not match its schema at {string.Join(", ", errors.Select(e => Where(e.Path)).Distinct())}.")
    {
        Extensions = new Dictionary<string, object?> { ["errors"] = errors },
    };

    public static Problem SensitiveDataRejected(IReadOnlyDictionary<string, int> detectors, IReadOnlyList<string> paths) => new(422,
        Prefix + "sensitive-data", "Sensitive data refused",
        $"The event contains sensitive data ({string.Join(", ", detectors.Select(d => $"{d.Key} x{d.Value}"))}) at {string.Join(", ", paths)}; remove it and send the event again.")
    {
        Extensions = new Dictionary<string, object?> { ["detectors"] = detectors, ["paths"] = paths },
    };

    public static Problem IdempotencyConflict(string id) => new(422, Prefix + "idempotency-conflict", "Event id already used",
        $"An event with id '{id}' was already accepted with different content; a retry must send the same event, a new event needs a new id.");

    public static Problem NotFound(string? method, string? path) => new(404, Prefix + "not-found", "Not found",
        $"There is no {method} {path}; events are sent with POST /events.");

    /// <summary>Something failed that the function did not foresee; the event may not have been stored.</summary>
    public static Problem InternalError(string requestId) => new(500, Prefix + "internal-error", "Internal error",
        $"The request failed unexpectedly and the event may not have been stored; send it again. Request id: {requestId}.");

    /// <summary>The local host's cap on one publisher's concurrent requests (API Gateway and Lambda cap it in AWS).</summary>
    public static Problem TooManyInFlight(int limit) => new(429, Prefix + "too-many-in-flight", "Too many requests in flight",
        string.Create(CultureInfo.InvariantCulture, $"At most {limit} requests of one publisher are handled at once; wait for an answer before sending more."))
    {
        RetryAfterSeconds = 1,
    };

    public static Problem RequestTimeout(TimeSpan limit) => new(408, Prefix + "request-timeout", "Request too slow",
        string.Create(CultureInfo.InvariantCulture, $"The request was not received within {limit.TotalSeconds:0.#} s; send it again."));

    public static Problem SourceNotAllowed(IReadOnlyList<string> allowed) => new(403, Prefix + "source-not-allowed", "Source not allowed",
        $"This publisher may send only sources that start with: {string.Join(", ", allowed)}.")
    {
        Extensions = new Dictionary<string, object?> { ["allowed"] = allowed },
    };

    /// <summary>The Lambda function was invoked other than through its own API, stage and account.</summary>
    public static Problem ForeignInvocation() => new(403, Prefix + "forbidden", "Forbidden",
        "This function answers only requests that came through its own API.");

    public static Problem StoreUnavailable() => new(503, Prefix + "store-unavailable", "Temporarily unavailable",
        "The event could not be stored and was not accepted; send it again.")
    {
        RetryAfterSeconds = 5,
    };

    /// <summary>A string that does not decode to characters, or holds characters messages cannot carry.</summary>
    /// <param name="where">A JSONPath into the event, or a header's name.</param>
    public static Problem InvalidCharacters(string where, string what) => new(400, Prefix + "invalid-characters", "Invalid characters",
        $"{where} {what}.")
    {
        Extensions = new Dictionary<string, object?> { ["path"] = where },
    };

    public static Problem DuplicateMember(string path, string name) => new(400, Prefix + "duplicate-member", "Duplicate member",
        $"The member '{name}' appears more than once in one object (at {path}); each name may appear once.")
    {
        Extensions = new Dictionary<string, object?> { ["path"] = path },
    };

    public static Problem TooManyArrayElements(int limit, string path) => new(400, Prefix + "too-many-array-elements",
        "Too many array elements",
        string.Create(CultureInfo.InvariantCulture, $"An event may hold at most {limit:N0} array elements in all its arrays together; this one holds more (from {path})."))
    {
        Extensions = new Dictionary<string, object?> { ["limit"] = limit, ["path"] = path },
    };

    /// <param name="where">The attribute's name, or the header that carried it.</param>
    public static Problem ReservedAttribute(string where) => new(400, Prefix + "reserved-attribute", "Reserved attribute",
        $"The attribute '{where}' is set by the system and may not be sent.");

    /// <summary>The message the event would be published as is larger than SNS takes.</summary>
    public static Problem MessageTooLarge(long size, long limit) => new(413, Prefix + "message-too-large", "Message too large",
        string.Create(CultureInfo.InvariantCulture, $"As delivered (a structured CloudEvent with the system's attributes, after the sensitive-data policy) this event would be {size:N0} bytes; a message may be at most {limit:N0} bytes."))
    {
        Extensions = new Dictionary<string, object?> { ["size"] = size, ["limit"] = limit },
    };

    /// <summary>A JSON Pointer as a reader sees it: the root's pointer is empty, which would read as nothing.</summary>
    private static string Where(string pointer) => pointer.Length == 0 ? "the root" : pointer;

    private static string Plural(double count, string noun) => count == 1 ? noun : noun + "s";
}

/// <param name="Path">A JSON pointer into the data (<c>/items/0</c>; empty for the data itself).</param>
public sealed record SchemaError(string Path, string Message);
