namespace PubSub.Webhooks.Signing;

/// <summary>What one endpoint's attempts are signed with: its secrets (two during a rotation window, so
/// a receiver holding either verifies) and, optionally, Ed25519 keys for <c>v1a</c>.</summary>
public sealed record WebhookSigningKeys(IReadOnlyList<WebhookSecret> Secrets, IReadOnlyList<Ed25519SigningKey> AsymmetricKeys)
{
    public WebhookSigningKeys(params WebhookSecret[] secrets) : this(secrets, []) { }

    public int Count => Secrets.Count + AsymmetricKeys.Count;
}
