namespace PubSub.Webhooks.Signing;

/// <summary>What a receiver trusts: the endpoint's secrets (for <c>v1</c>) and the sender's Ed25519
/// public keys (for <c>v1a</c>). A signature by any of them is accepted.</summary>
public sealed record WebhookVerificationKeys(IReadOnlyList<WebhookSecret> Secrets, IReadOnlyList<Ed25519PublicKey> PublicKeys)
{
    public WebhookVerificationKeys(params WebhookSecret[] secrets) : this(secrets, []) { }

    /// <summary>At most <see cref="WebhookVerifier.MaxSignatures"/>: the verifier computes one HMAC per secret, and a
    /// secret past that bound would be silently never tried.</summary>
    public IReadOnlyList<WebhookSecret> Secrets { get; init; } = Secrets.Count <= WebhookVerifier.MaxSignatures
        ? Secrets
        : throw new ArgumentException($"At most {WebhookVerifier.MaxSignatures} secrets are verified against; {Secrets.Count} were given.", nameof(Secrets));

    public int Count => Secrets.Count + PublicKeys.Count;
}
