using System.Security.Cryptography;
using Org.BouncyCastle.Math.EC.Rfc8032;
using static PubSub.Webhooks.Signing.WebhookVerificationFailure;

namespace PubSub.Webhooks.Signing;

/// <summary>Verifies a received webhook: the timestamp within the tolerance (either way: an old one is a
/// replay, a future one a forged clock), then any one of the space-separated signatures by any trusted
/// key, compared in constant time. Hostile headers (oversized, malformed, too many signatures) get a
/// refusal, never an exception, and bound the work done.</summary>
public sealed class WebhookVerifier(TimeProvider time, TimeSpan? tolerance = null)
{
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    /// <summary>Enough for a rotation window of both schemes many times over; more is an attack on CPU.</summary>
    public const int MaxSignatures = 16;

    public const int MaxSignatureHeaderLength = 4096;

    private const int MaxTimestampDigits = 12; // Unix seconds until the year 33658

    private static readonly long MaxUnixSeconds = DateTimeOffset.MaxValue.ToUnixTimeSeconds();

    private readonly TimeSpan _tolerance = tolerance ?? DefaultTolerance;

    public WebhookVerification Verify(string? id, string? timestamp, string? signature, ReadOnlySpan<byte> body, WebhookVerificationKeys keys)
    {
        if (CheckHeaders(id, timestamp, signature) is { } refused)
        {
            return refused;
        }

        var seconds = long.Parse(timestamp!, System.Globalization.CultureInfo.InvariantCulture);
        var now = time.GetUtcNow();
        if (seconds > MaxUnixSeconds)
        {
            // Past the year 9999, which DateTimeOffset cannot hold: a refusal like any other future timestamp, never an exception.
            return WebhookVerification.Refused(TimestampTooNew, $"The timestamp is beyond the year 9999; at most {_tolerance.TotalSeconds:0} s in the future is accepted.");
        }

        var sent = DateTimeOffset.FromUnixTimeSeconds(seconds);
        if (now - sent > _tolerance)
        {
            return WebhookVerification.Refused(TimestampTooOld, $"The timestamp is {(now - sent).TotalSeconds:0} s old; at most {_tolerance.TotalSeconds:0} s is accepted (a replay?).");
        }

        if (sent - now > _tolerance)
        {
            return WebhookVerification.Refused(TimestampTooNew, $"The timestamp is {(sent - now).TotalSeconds:0} s in the future; at most {_tolerance.TotalSeconds:0} s is accepted.");
        }

        if (keys.Count == 0)
        {
            return WebhookVerification.Refused(NoKeys, "No secret or public key is configured to verify with.");
        }

        using var content = SignedContent.Create(id!, timestamp!, body);
        return Match(signature!, content, keys);
    }

    private static WebhookVerification? CheckHeaders(string? id, string? timestamp, string? signature)
    {
        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature))
        {
            return WebhookVerification.Refused(MissingHeader, $"{WebhookHeaderNames.Id}, {WebhookHeaderNames.Timestamp} and {WebhookHeaderNames.Signature} are all required.");
        }

        if (id.Length > WebhookSigner.MaxIdLength || timestamp.Length > MaxTimestampDigits || signature.Length > MaxSignatureHeaderLength)
        {
            return WebhookVerification.Refused(OversizedHeader, $"A header is too long ({WebhookHeaderNames.Id} {id.Length} of {WebhookSigner.MaxIdLength}, {WebhookHeaderNames.Timestamp} {timestamp.Length} of {MaxTimestampDigits}, {WebhookHeaderNames.Signature} {signature.Length} of {MaxSignatureHeaderLength} characters).");
        }

        if (id.AsSpan().ContainsAnyExceptInRange('!', '~'))
        {
            return WebhookVerification.Refused(MalformedHeader, $"{WebhookHeaderNames.Id} is not printable ASCII.");
        }

        if (timestamp.AsSpan().ContainsAnyExceptInRange('0', '9'))
        {
            return WebhookVerification.Refused(MalformedHeader, $"{WebhookHeaderNames.Timestamp} is not Unix seconds (digits only).");
        }

        return null;
    }

    private static WebhookVerification Match(string header, SignedContent content, WebhookVerificationKeys keys)
    {
        // Each secret's HMAC is computed once, whatever the number of v1 signatures offered.
        Span<byte> expected = stackalloc byte[32 * Math.Min(keys.Secrets.Count, MaxSignatures)];
        var computed = false;
        Span<byte> offered = stackalloc byte[Ed25519.SignatureSize + 3];
        var count = 0;
        var wellFormed = 0;
        foreach (var range in header.AsSpan().Split(' '))
        {
            var entry = header.AsSpan(range);
            if (entry.IsEmpty)
            {
                continue;
            }

            if (++count > MaxSignatures)
            {
                return WebhookVerification.Refused(OversizedHeader, $"More than {MaxSignatures} signatures.");
            }

            var comma = entry.IndexOf(',');
            if (comma < 0 || !Convert.TryFromBase64Chars(entry[(comma + 1)..], offered, out var length))
            {
                continue;
            }

            wellFormed++;
            var version = entry[..comma];
            if (version.SequenceEqual("v1") && length == 32 && keys.Secrets.Count > 0)
            {
                if (!computed)
                {
                    for (var i = 0; i < expected.Length / 32; i++)
                    {
                        HMACSHA256.HashData(keys.Secrets[i].Key, content.Span, expected.Slice(i * 32, 32));
                    }

                    computed = true;
                }

                for (var i = 0; i < expected.Length / 32; i++)
                {
                    if (CryptographicOperations.FixedTimeEquals(expected.Slice(i * 32, 32), offered[..32]))
                    {
                        return WebhookVerification.Verified("v1");
                    }
                }
            }
            else if (version.SequenceEqual("v1a") && length == Ed25519.SignatureSize)
            {
                foreach (var key in keys.PublicKeys)
                {
                    if (key.Verify(content.Buffer, content.Length, offered[..length]))
                    {
                        return WebhookVerification.Verified("v1a");
                    }
                }
            }
        }

        return wellFormed == 0
            ? WebhookVerification.Refused(MalformedHeader, $"{WebhookHeaderNames.Signature} holds no \"version,base64\" signature.")
            : WebhookVerification.Refused(NoMatchingSignature, $"None of the {wellFormed} signatures matches a trusted key (tampered body, wrong secret, or a key not trusted).");
    }
}
