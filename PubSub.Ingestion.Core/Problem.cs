namespace PubSub.Ingestion.Core;

/// <summary>Why a request was refused, as RFC 9457 problem details: a stable <see cref="Type"/> per kind
/// of error, a short <see cref="Title"/> and a <see cref="Detail"/> a publisher can act on.</summary>
public sealed record Problem(int Status, string Type, string Title, string Detail)
{
    public IReadOnlyDictionary<string, object?> Extensions { get; init; } = new Dictionary<string, object?>();

    /// <summary>Seconds after which a retry may succeed (sent as <c>Retry-After</c>).</summary>
    public int? RetryAfterSeconds { get; init; }
}
