using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using PubSub.Events;

namespace PubSub.Ingestion.Core.Parsing;

/// <summary>A SHA-256 over everything the publisher chose (not what the system adds), so that a retry
/// of the same event matches and a different event under a reused id does not.</summary>
internal static class EventFingerprint
{
    public static string Of(EventEnvelope e)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Append(hash, e.Type);
        Append(hash, e.Source);
        Append(hash, e.Subject);
        Append(hash, e.Time?.ToString("O", CultureInfo.InvariantCulture));
        Append(hash, e.DataContentType);
        Append(hash, e.DataSchema);
        Append(hash, e.Data);
        Append(hash, e.DataBinary is null ? null : Convert.ToBase64String(e.DataBinary));
        foreach (var (name, value) in (e.Extensions ?? new Dictionary<string, string>()).OrderBy(x => x.Key, StringComparer.Ordinal))
        {
            Append(hash, name);
            Append(hash, value);
        }

        return Convert.ToBase64String(hash.GetHashAndReset());
    }

    /// <summary>Length-prefixed, so that field boundaries cannot be shifted to forge a match.</summary>
    private static void Append(IncrementalHash hash, string? value)
    {
        Span<byte> length = stackalloc byte[4];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(length, value is null ? -1 : Encoding.UTF8.GetByteCount(value));
        hash.AppendData(length);
        if (value is not null)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(value));
        }
    }
}
