using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using PubSub.Events;

namespace PubSub.Ingestion.Core.Parsing;

/// <summary>An HMAC-SHA256 over everything the publisher chose (not what the system adds), so that a
/// retry of the same event matches and a different event under a reused id does not. It is keyed
/// (<see cref="FingerprintKey"/>) because it is stored beside a redacted event: unkeyed, a reader of the
/// table could recover a redacted low-entropy value (an SSN) by hashing guesses.</summary>
internal static class EventFingerprint
{
    public static string Of(EventEnvelope e, FingerprintKey key)
    {
        using var hash = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, key.Bytes);
        Append(hash, e.Type);
        Append(hash, e.Source);
        Append(hash, e.Subject);
        Append(hash, e.Time?.ToString("O", CultureInfo.InvariantCulture));
        Append(hash, e.DataContentType);
        Append(hash, e.DataSchema);
        Append(hash, e.Data is null ? default : e.Data.Utf8.Span, e.Data is null);
        Append(hash, e.DataBinary, e.DataBinary is null);
        if (e.Extensions is { Count: > 0 } extensions)
        {
            foreach (var (name, value) in extensions.OrderBy(x => x.Key, StringComparer.Ordinal))
            {
                Append(hash, name);
                Append(hash, value);
            }
        }

        return Convert.ToBase64String(hash.GetHashAndReset());
    }

    private static void Append(IncrementalHash hash, string? value)
    {
        if (value is null)
        {
            Append(hash, default, isNull: true);
            return;
        }

        Span<byte> small = stackalloc byte[256];
        var bytes = Encoding.UTF8.GetMaxByteCount(value.Length) <= small.Length
            ? small[..Encoding.UTF8.GetBytes(value, small)]
            : Encoding.UTF8.GetBytes(value);
        Append(hash, bytes, isNull: false);
    }

    /// <summary>Length-prefixed, so that field boundaries cannot be shifted to forge a match.</summary>
    private static void Append(IncrementalHash hash, ReadOnlySpan<byte> value, bool isNull)
    {
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32LittleEndian(length, isNull ? -1 : value.Length);
        hash.AppendData(length);
        hash.AppendData(value);
    }
}
