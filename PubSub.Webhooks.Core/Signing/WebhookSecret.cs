using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace PubSub.Webhooks.Signing;

/// <summary>A symmetric signing secret (<c>whsec_</c> + base64 of the key bytes), shared with one
/// endpoint. <see cref="ToString"/> never shows the key: only <see cref="Reveal"/> does, for the one
/// place that must print or store it.</summary>
public sealed class WebhookSecret
{
    public const string Prefix = "whsec_";

    /// <summary>What <see cref="Generate"/> makes (256 bits, HMAC-SHA256's block of security).</summary>
    public const int GeneratedBytes = 32;

    /// <summary>The specification's bounds: at least 24 bytes (192 bits), at most 64 (512 bits).</summary>
    public const int MinBytes = 24;
    public const int MaxBytes = 64;

    private static readonly System.Buffers.SearchValues<char> WhiteSpace = System.Buffers.SearchValues.Create(" \t\r\n\f\v");

    private readonly byte[] _key;

    private WebhookSecret(byte[] key) => _key = key;

    internal byte[] Key => _key;

    public static WebhookSecret Generate() => new(RandomNumberGenerator.GetBytes(GeneratedBytes));

    /// <exception cref="FormatException">The text is not a secret; the message never quotes it.</exception>
    public static WebhookSecret Parse(string? text) =>
        TryParse(text, out var secret, out var error) ? secret : throw new FormatException(error);

    /// <summary>Reads <c>whsec_</c> + base64, or the bare base64 that the reference libraries also take.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out WebhookSecret? secret, [NotNullWhen(false)] out string? error)
    {
        secret = null;
        var value = text.AsSpan().Trim();
        if (value.IsEmpty)
        {
            error = "The webhook secret is empty.";
            return false;
        }

        if (value.StartsWith(Ed25519SigningKey.Prefix, StringComparison.Ordinal) || value.StartsWith(Ed25519PublicKey.Prefix, StringComparison.Ordinal))
        {
            error = $"This is an Ed25519 key ({value[..5]}), not a symmetric webhook secret ({Prefix}…).";
            return false;
        }

        if (value.StartsWith(Prefix, StringComparison.Ordinal))
        {
            value = value[Prefix.Length..];
        }

        if (value.ContainsAny(WhiteSpace))
        {
            // Base64 decoding skips white space: "whsec_AAAA AAAA" would read as one secret though it is pasted wrong.
            error = "The webhook secret contains white space.";
            return false;
        }

        Span<byte> buffer = stackalloc byte[MaxBytes + 3];
        if (!Convert.TryFromBase64Chars(value, buffer, out var length))
        {
            error = value.Length > (MaxBytes + 2) / 3 * 4
                ? $"The webhook secret is longer than {MaxBytes} bytes."
                : $"The webhook secret is not {Prefix} followed by standard base64.";
            return false;
        }

        if (length is < MinBytes or > MaxBytes)
        {
            error = $"The webhook secret is {length} bytes; Standard Webhooks secrets are {MinBytes} to {MaxBytes} bytes.";
            return false;
        }

        if (buffer[1..length].IndexOfAnyExcept(buffer[0]) < 0)
        {
            error = "The webhook secret is one byte repeated (a placeholder, not a key); generate one.";
            return false;
        }

        secret = new WebhookSecret(buffer[..length].ToArray());
        error = null;
        return true;
    }

    /// <summary>The serialized secret (<c>whsec_</c> + base64): to show the owner once or to store in a
    /// secret store. Never log it.</summary>
    public string Reveal() => Prefix + Convert.ToBase64String(_key);

    public override string ToString() => Prefix + "[redacted]";
}
