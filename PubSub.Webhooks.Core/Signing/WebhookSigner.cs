using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using Org.BouncyCastle.Math.EC.Rfc8032;

namespace PubSub.Webhooks.Signing;

/// <summary>Signs one delivery attempt as Standard Webhooks does: <c>v1,</c> + base64 HMAC-SHA256 per
/// secret and <c>v1a,</c> + base64 Ed25519 per signing key, over <c>{id}.{timestamp}.{body}</c>,
/// space-separated in one <c>webhook-signature</c> header. Allocates the two header strings and nothing
/// per body byte (the content and the signatures are built in pooled buffers).</summary>
public sealed class WebhookSigner(TimeProvider time)
{
    /// <summary>The longest id taken: ids go into a header and into every signed content.</summary>
    public const int MaxIdLength = 256;

    private const int HmacBytes = 32;
    private const int V1Length = 3 + 44; // "v1," + base64 of 32 bytes
    private const int V1aLength = 4 + 88; // "v1a," + base64 of 64 bytes

    /// <summary>Signs with the current time as the attempt's timestamp.</summary>
    /// <param name="id">The message id, the same on every attempt: printable ASCII without <c>.</c> (the
    /// specification's rule: a dot in the id would shift where the timestamp starts).</param>
    public SignedWebhookHeaders Sign(string id, ReadOnlySpan<byte> body, WebhookSigningKeys keys) =>
        Sign(id, time.GetUtcNow().ToUnixTimeSeconds(), body, keys);

    internal static SignedWebhookHeaders Sign(string id, long unixSeconds, ReadOnlySpan<byte> body, WebhookSigningKeys keys)
    {
        CheckId(id);
        ArgumentOutOfRangeException.ThrowIfNegative(unixSeconds);
        if (keys.Count == 0)
        {
            throw new ArgumentException("Nothing to sign with: no secret and no signing key.", nameof(keys));
        }

        var timestamp = unixSeconds.ToString(CultureInfo.InvariantCulture);
        using var content = SignedContent.Create(id, timestamp, body);
        var headerLength = keys.Secrets.Count * (V1Length + 1) + keys.AsymmetricKeys.Count * (V1aLength + 1) - 1;
        var header = ArrayPool<char>.Shared.Rent(headerLength);
        var signature = ArrayPool<byte>.Shared.Rent(Ed25519.SignatureSize);
        try
        {
            var written = 0;
            foreach (var secret in keys.Secrets)
            {
                HMACSHA256.HashData(secret.Key, content.Span, signature);
                written = Append(header, written, "v1,", signature.AsSpan(0, HmacBytes));
            }

            foreach (var key in keys.AsymmetricKeys)
            {
                key.Sign(content.Buffer, content.Length, signature);
                written = Append(header, written, "v1a,", signature.AsSpan(0, Ed25519.SignatureSize));
            }

            return new SignedWebhookHeaders(id, timestamp, new string(header, 0, written));
        }
        finally
        {
            ArrayPool<char>.Shared.Return(header);
            ArrayPool<byte>.Shared.Return(signature);
        }
    }

    private static int Append(char[] header, int written, string version, ReadOnlySpan<byte> signature)
    {
        if (written > 0)
        {
            header[written++] = ' ';
        }

        version.CopyTo(header.AsSpan(written));
        written += version.Length;
        Convert.TryToBase64Chars(signature, header.AsSpan(written), out var encoded);
        return written + encoded;
    }

    private static void CheckId(string id)
    {
        ArgumentException.ThrowIfNullOrEmpty(id);
        if (id.Length > MaxIdLength)
        {
            throw new ArgumentException($"A webhook id is at most {MaxIdLength} characters.", nameof(id));
        }

        foreach (var c in id)
        {
            if (c is < '!' or > '~' or '.')
            {
                throw new ArgumentException("A webhook id is printable ASCII without spaces or '.'.", nameof(id));
            }
        }
    }
}
