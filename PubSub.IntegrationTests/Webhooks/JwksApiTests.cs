using System.Net;
using System.Text.Json;
using PubSub.IntegrationTests.Infrastructure;
using PubSub.IntegrationTests.Ingestion;
using PubSub.Webhooks.Signing;

namespace PubSub.IntegrationTests.Webhooks;

/// <summary><c>GET /.well-known/jwks.json</c> on the ingestion host: the configured v1a public keys.</summary>
[Collection(AwsEmulatorsCollection.Name)]
public sealed class JwksApiTests(AwsEmulatorsFixture aws)
{
    [Fact]
    public async Task Without_configured_keys_the_set_is_empty()
    {
        _ = aws;
        await using var host = new IngestionHostFactory();
        using var client = host.CreateClient();

        using var response = await client.GetAsync("/.well-known/jwks.json");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/jwk-set+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("""{"keys":[]}""", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task The_configured_keys_are_published_with_their_thumbprints_and_no_api_key_is_needed()
    {
        _ = aws;
        var keys = new[] { Ed25519SigningKey.Generate().PublicKey, Ed25519SigningKey.Generate().PublicKey };
        await using var host = new IngestionHostFactory(settings: new Dictionary<string, string>
        {
            ["Webhooks:PublicKeys:0"] = keys[0].Serialize(),
            ["Webhooks:PublicKeys:1"] = keys[1].Serialize(),
        });
        using var client = host.CreateClient();

        var document = JsonDocument.Parse(await client.GetStringAsync("/.well-known/jwks.json")).RootElement;

        Assert.Equal(keys.Select(k => k.KeyId), document.GetProperty("keys").EnumerateArray().Select(k => k.GetProperty("kid").GetString()));
        Assert.Equal(keys.Select(k => k.Serialize()), JsonWebKeySet.Read(JsonSerializer.SerializeToUtf8Bytes(document)).Select(k => k.Serialize()));
    }

    [Fact]
    public void A_malformed_key_stops_the_host_naming_the_setting()
    {
        _ = aws;
        using var host = new IngestionHostFactory(settings: new Dictionary<string, string> { ["Webhooks:PublicKeys:0"] = "whpk_nope" });

        var error = Assert.ThrowsAny<Exception>(() => host.CreateClient());

        Assert.Contains("Webhooks:PublicKeys:0", error.ToString(), StringComparison.Ordinal);
    }
}
