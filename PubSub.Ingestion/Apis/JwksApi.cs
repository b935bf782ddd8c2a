using PubSub.Webhooks.Signing;

namespace PubSub.Ingestion.Apis;

/// <summary>The public keys that verify the webhooks' <c>v1a</c> (Ed25519) signatures, as a JWKS
/// document: what the API Gateway route serves in AWS. The keys come from configuration
/// (<see cref="PublicKeysSetting"/>: <c>whpk_…</c> strings), read once at start.</summary>
public static class JwksApi
{
    public const string Route = "/.well-known/jwks.json";

    public const string PublicKeysSetting = "Webhooks:PublicKeys";

    public static IEndpointRouteBuilder MapJwksApi(this IEndpointRouteBuilder app)
    {
        var document = Document(app.ServiceProvider.GetRequiredService<IConfiguration>());
        app.MapGet(Route, (HttpResponse response) =>
            {
                // Receivers may cache it; a rotation publishes the new key well before signing with it.
                response.Headers.CacheControl = "public, max-age=300";
                return TypedResults.Bytes(document, JsonWebKeySet.MediaType);
            })
            .WithName("GetJwks")
            .WithSummary("The Ed25519 public keys of the webhooks' v1a signatures (empty when none is configured).");
        return app;
    }

    /// <summary>A key that does not parse stops the host at start, naming the setting (never a secret: these are public).</summary>
    internal static byte[] Document(IConfiguration configuration)
    {
        var keys = configuration.GetSection(PublicKeysSetting).GetChildren()
            .Select(setting => Ed25519PublicKey.TryParse(setting.Value, out var key, out var error)
                ? key
                : throw new InvalidOperationException($"{setting.Path}: {error}"));
        return JsonWebKeySet.Write([.. keys]);
    }
}
