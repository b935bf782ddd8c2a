using System.Text;

namespace PubSub.Json;

/// <summary>A JSON value as UTF-8 bytes, the form it arrives and leaves in: kept as bytes so that large
/// payloads are never transcoded to UTF-16 or copied onto the large-object heap. Equal by content.</summary>
public sealed class JsonPayload : IEquatable<JsonPayload>
{
    private JsonPayload(ReadOnlyMemory<byte> utf8) => Utf8 = utf8;

    public ReadOnlyMemory<byte> Utf8 { get; }

    public int Length => Utf8.Length;

    /// <summary>Wraps bytes the caller will not change (they are not copied).</summary>
    public static JsonPayload FromUtf8(ReadOnlyMemory<byte> utf8) => new(utf8);

    public static JsonPayload FromString(string json) => new(Encoding.UTF8.GetBytes(json));

    public override string ToString() => Encoding.UTF8.GetString(Utf8.Span);

    public bool Equals(JsonPayload? other) => other is not null && Utf8.Span.SequenceEqual(other.Utf8.Span);

    public override bool Equals(object? obj) => obj is JsonPayload other && Equals(other);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(Utf8.Span[..Math.Min(64, Utf8.Length)]);
        hash.Add(Utf8.Length);
        return hash.ToHashCode();
    }

    public static bool operator ==(JsonPayload? left, JsonPayload? right) => left?.Equals(right) ?? right is null;

    public static bool operator !=(JsonPayload? left, JsonPayload? right) => !(left == right);
}
