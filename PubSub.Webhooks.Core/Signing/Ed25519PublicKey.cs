using System.Buffers.Text;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math.EC.Rfc8032;

namespace PubSub.Webhooks.Signing;

/// <summary>The public half of an Ed25519 signing key (<c>whpk_</c> + base64 of 32 bytes): what
/// receivers hold to verify <c>v1a</c> signatures, published in the JWKS document.</summary>
public sealed class Ed25519PublicKey
{
    public const string Prefix = "whpk_";
    public const int Bytes = 32;

    private readonly byte[] _key;
    private readonly Ed25519PublicKeyParameters _parameters;

    internal Ed25519PublicKey(byte[] key, Ed25519PublicKeyParameters parameters)
    {
        _key = key;
        _parameters = parameters;
        KeyId = Thumbprint(key);
    }

    /// <summary>The JWK thumbprint (RFC 7638, SHA-256, base64url): derived from the key, so the same key
    /// has the same <c>kid</c> wherever it is published.</summary>
    public string KeyId { get; }

    /// <summary>The key in base64url, the JWK's <c>x</c>.</summary>
    public string X => Base64Url.EncodeToString(_key);

    public static Ed25519PublicKey Parse(string? text) =>
        TryParse(text, out var key, out var error) ? key : throw new FormatException(error);

    /// <summary>Reads <c>whpk_</c> + standard base64 of the 32 key bytes.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out Ed25519PublicKey? key, [NotNullWhen(false)] out string? error)
    {
        key = null;
        var value = text.AsSpan().Trim();
        if (!value.StartsWith(Prefix, StringComparison.Ordinal))
        {
            error = $"An Ed25519 public key starts with {Prefix}.";
            return false;
        }

        Span<byte> buffer = stackalloc byte[Bytes + 3];
        if (!Convert.TryFromBase64Chars(value[Prefix.Length..], buffer, out var length) || length != Bytes)
        {
            error = $"An Ed25519 public key is {Prefix} followed by the standard base64 of {Bytes} bytes.";
            return false;
        }

        return TryCreate(buffer[..Bytes], out key, out error);
    }

    /// <summary>A key from its raw 32 bytes (a JWK's decoded <c>x</c>), refused if it is not a point of the curve.</summary>
    public static bool TryCreate(ReadOnlySpan<byte> raw, [NotNullWhen(true)] out Ed25519PublicKey? key, [NotNullWhen(false)] out string? error)
    {
        key = null;
        if (raw.Length != Bytes)
        {
            error = $"An Ed25519 public key is {Bytes} bytes, not {raw.Length}.";
            return false;
        }

        var bytes = raw.ToArray();
        try
        {
            key = new Ed25519PublicKey(bytes, new Ed25519PublicKeyParameters(bytes));
            error = null;
            return true;
        }
        catch (ArgumentException)
        {
            error = "The bytes are not an Ed25519 public key (not a point of the curve).";
            return false;
        }
    }

    public string Serialize() => Prefix + Convert.ToBase64String(_key);

    public override string ToString() => Serialize();

    /// <summary>Checks a 64-byte signature of <paramref name="length"/> bytes of <paramref name="message"/>.</summary>
    internal bool Verify(byte[] message, int length, ReadOnlySpan<byte> signature)
    {
        if (signature.Length != Ed25519.SignatureSize)
        {
            return false;
        }

        return _parameters.Verify(Ed25519.Algorithm.Ed25519, null, message, 0, length, signature.ToArray(), 0);
    }

    private static string Thumbprint(byte[] key)
    {
        // RFC 7638: the required members in lexicographic order, no whitespace.
        var canonical = $$"""{"crv":"Ed25519","kty":"OKP","x":"{{Base64Url.EncodeToString(key)}}"}""";
        return Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }
}
