using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math.EC.Rfc8032;

namespace PubSub.Webhooks.Signing;

/// <summary>An Ed25519 signing key (<c>whsk_</c> + base64) for <c>v1a</c> signatures: only the sender
/// holds it; receivers verify with <see cref="PublicKey"/>. <see cref="ToString"/> never shows it.</summary>
/// <remarks>The BCL has no Ed25519 (in .NET 10 only inside composite ML-DSA), so the curve arithmetic is
/// BouncyCastle's managed Rfc8032 code: no native library, which Native AOT and a Lambda zip need.</remarks>
public sealed class Ed25519SigningKey
{
    public const string Prefix = "whsk_";

    /// <summary>RFC 8032's private key: a 32-byte seed.</summary>
    public const int SeedBytes = 32;

    private readonly byte[] _seed;
    private readonly Ed25519PrivateKeyParameters _parameters;

    private Ed25519SigningKey(byte[] seed)
    {
        _seed = seed;
        _parameters = new Ed25519PrivateKeyParameters(seed);
        var publicBytes = _parameters.GeneratePublicKey().GetEncoded();
        PublicKey = new Ed25519PublicKey(publicBytes, new Ed25519PublicKeyParameters(publicBytes));
    }

    public Ed25519PublicKey PublicKey { get; }

    public static Ed25519SigningKey Generate() => new(RandomNumberGenerator.GetBytes(SeedBytes));

    public static Ed25519SigningKey Parse(string? text) =>
        TryParse(text, out var key, out var error) ? key : throw new FormatException(error);

    /// <summary>Reads <c>whsk_</c> + base64 of the 32-byte seed, or of the 64 bytes seed + public key that
    /// libsodium calls a secret key (the public half must then match the seed).</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out Ed25519SigningKey? key, [NotNullWhen(false)] out string? error)
    {
        key = null;
        var value = text.AsSpan().Trim();
        if (!value.StartsWith(Prefix, StringComparison.Ordinal))
        {
            error = $"An Ed25519 signing key starts with {Prefix}.";
            return false;
        }

        Span<byte> buffer = stackalloc byte[2 * SeedBytes + 3];
        if (!Convert.TryFromBase64Chars(value[Prefix.Length..], buffer, out var length) || length is not (SeedBytes or 2 * SeedBytes))
        {
            error = $"An Ed25519 signing key is {Prefix} followed by the standard base64 of a {SeedBytes}-byte seed (or seed and public key, {2 * SeedBytes} bytes).";
            return false;
        }

        var candidate = new Ed25519SigningKey(buffer[..SeedBytes].ToArray());
        if (length == 2 * SeedBytes && !candidate.PublicKey.Serialize().Equals(Ed25519PublicKey.Prefix + Convert.ToBase64String(buffer[SeedBytes..length]), StringComparison.Ordinal))
        {
            error = "The Ed25519 signing key's public half does not belong to its seed.";
            return false;
        }

        key = candidate;
        error = null;
        return true;
    }

    /// <summary>The serialized key (<c>whsk_</c> + base64 of the seed), for a secret store. Never log it.</summary>
    public string Reveal() => Prefix + Convert.ToBase64String(_seed);

    public override string ToString() => Prefix + "[redacted]";

    /// <summary>Signs <paramref name="length"/> bytes of <paramref name="message"/> into 64 bytes.</summary>
    internal void Sign(byte[] message, int length, byte[] signature) =>
        _parameters.Sign(Ed25519.Algorithm.Ed25519, null, message, 0, length, signature, 0);
}
