namespace PubSub.Ingestion.Core;

/// <summary>One publisher request, independent of how it arrived (local HTTP host or API Gateway).</summary>
/// <param name="Publisher">The authenticated publisher.</param>
/// <param name="ContentType">The Content-Type header, if any.</param>
/// <param name="Headers">Request headers by lower-case name (ce-*, idempotency-key).</param>
/// <param name="Body">The request body.</param>
public sealed record IngestionRequest(
    string Publisher,
    string? ContentType,
    IReadOnlyDictionary<string, string> Headers,
    ReadOnlyMemory<byte> Body)
{
    /// <summary>Why the adapter could not read the body (API Gateway's base64 that is not base64), or null.
    /// The core answers it, after the publisher check, like any other fault of the body.</summary>
    public Problem? Unreadable { get; init; }

    /// <summary>Whether the core reads a header of this name (any case): the CloudEvents binary-mode
    /// <c>ce-*</c> attributes and <c>idempotency-key</c>. Adapters pass these, by lower-case name.</summary>
    public static bool IsEventHeader(string name) =>
        name.StartsWith("ce-", StringComparison.OrdinalIgnoreCase) || name.Equals("idempotency-key", StringComparison.OrdinalIgnoreCase);

    /// <summary>The headers the core reads (<see cref="IsEventHeader"/>), by lower-case name; a header
    /// without a value is left out.</summary>
    public static Dictionary<string, string> EventHeaders(IEnumerable<KeyValuePair<string, string?>> headers)
    {
        var copy = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in headers)
        {
            if (value is not null && IsEventHeader(name))
            {
                copy[name.ToLowerInvariant()] = value;
            }
        }

        return copy;
    }
}
