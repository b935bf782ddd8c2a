namespace PubSub.Webhooks.Signing;

/// <summary>What a receiver trusts: the endpoint's secrets (for <c>v1</c>) and the sender's Ed25519
/// public keys (for <c>v1a</c>). A signature by any of them is accepted.</summary>
public sealed record WebhookVerificationKeys(IReadOnlyList<WebhookSecret> Secrets, IReadOnlyList<Ed25519PublicKey> PublicKeys)
{
    public WebhookVerificationKeys(params WebhookSecret[] secrets) : this(secrets, []) { }

    public int Count => Secrets.Count + PublicKeys.Count;
}
