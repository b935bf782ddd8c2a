using System.Text;

namespace PubSub.Ingestion.Core;

/// <summary>The secret that keys event fingerprints (HMAC-SHA256). Unkeyed, a stored fingerprint of a
/// redacted event would let anyone who can read the table test guesses of a low-entropy value (an SSN)
/// against it. Development may use a fixed, public key; elsewhere a missing or short key stops startup.</summary>
public sealed class FingerprintKey
{
    /// <summary>The local host's configuration key (<c>Ingestion__FingerprintKey</c> as an environment variable).</summary>
    public const string Setting = "Ingestion:FingerprintKey";

    /// <summary>The Lambda function's environment variable (read by <c>FunctionSettings</c>).</summary>
    public const string Variable = "PUBSUB_FINGERPRINT_KEY";

    public const int MinLength = 32;

    private FingerprintKey(string value) => Bytes = Encoding.UTF8.GetBytes(value);

    /// <summary>Known to everyone: only for Development and tests.</summary>
    public static FingerprintKey Development { get; } = new("pubsub-development-fingerprint-key-not-a-secret");

    internal byte[] Bytes { get; }

    /// <exception cref="InvalidOperationException">Outside Development, the key is missing or shorter than <see cref="MinLength"/>.</exception>
    public static FingerprintKey From(string? configured, bool development)
    {
        if (string.IsNullOrEmpty(configured))
        {
            return development
                ? Development
                : throw new InvalidOperationException(
                    $"The fingerprint key is required outside Development: set {Setting} (the local host) or {Variable} (Lambda) to a random secret of at least {MinLength} characters.");
        }

        return configured.Length >= MinLength || development
            ? new FingerprintKey(configured)
            : throw new InvalidOperationException($"The fingerprint key ({Setting} or {Variable}) must be at least {MinLength} characters long.");
    }
}
