using PubSub.Webhooks.Signing;

namespace PubSub.WebhookDemo.Receiving;

/// <summary>The receiver's configuration: <c>Webhooks:Secrets</c> (<c>whsec_…</c>, several during a
/// rotation), <c>Webhooks:PublicKeys</c> (<c>whpk_…</c>), <c>Webhooks:JwksUrl</c> (the sender's JWKS
/// document, read for v1a keys), <c>Webhooks:KeepLast</c> (how many deliveries <c>GET /received</c>
/// lists, default 100), and <c>Webhooks:SecretsFile</c> with <c>Webhooks:SubscriptionId</c>: the delivery worker's
/// local secrets file (the AppHost gives both the same one), whose secrets of that subscription are trusted too,
/// so that the demo verifies with the secret the worker signs with.</summary>
public sealed record ReceiverSettings(IReadOnlyList<WebhookSecret> Secrets, IReadOnlyList<Ed25519PublicKey> PublicKeys, Uri? JwksUrl, int KeepLast,
    string? SecretsFile = null, string? SubscriptionId = null)
{
    public const string Section = "Webhooks";

    /// <summary>The largest body read: a delivery is one event (256 KiB) with room to spare.</summary>
    public const int MaxBodyBytes = 1 << 20;

    public static ReceiverSettings From(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var secrets = section.GetSection("Secrets").GetChildren()
            .Select(s => WebhookSecret.TryParse(s.Value, out var secret, out var error) ? secret : throw new InvalidOperationException($"{s.Path}: {error}"))
            .ToList();
        var publicKeys = section.GetSection("PublicKeys").GetChildren()
            .Select(s => Ed25519PublicKey.TryParse(s.Value, out var key, out var error) ? key : throw new InvalidOperationException($"{s.Path}: {error}"))
            .ToList();
        var jwksUrl = section["JwksUrl"] is { Length: > 0 } url
            ? Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri : throw new InvalidOperationException($"{Section}:JwksUrl is not an absolute URL.")
            : null;
        var keepLast = section.GetValue("KeepLast", 100);
        var secretsFile = section["SecretsFile"] is { Length: > 0 } file ? file : null;
        var subscriptionId = section["SubscriptionId"] is { Length: > 0 } id ? id : null;
        if ((secretsFile is null) != (subscriptionId is null))
        {
            throw new InvalidOperationException($"{Section}:SecretsFile and {Section}:SubscriptionId go together: set both or neither.");
        }

        return new ReceiverSettings(secrets, publicKeys, jwksUrl, keepLast, secretsFile, subscriptionId);
    }
}
