using System.Text;
using System.Text.Json;
using PubSub.Webhooks.Signing;

namespace PubSub.UnitTests.Webhooks;

public sealed class JsonWebKeySetTests
{
    [Fact]
    public void No_keys_is_an_empty_set()
    {
        Assert.Equal("""{"keys":[]}""", Encoding.UTF8.GetString(JsonWebKeySet.Write([])));
    }

    [Fact]
    public void An_ed25519_key_is_an_okp_jwk_with_base64url_x_and_its_thumbprint_as_kid()
    {
        var json = JsonWebKeySet.Write([Ed25519PublicKey.Parse(Ed25519KeyTests.Rfc8032PublicKey)]);

        using var document = JsonDocument.Parse(json);
        var jwk = Assert.Single(document.RootElement.GetProperty("keys").EnumerateArray().ToList());
        Assert.Equal("OKP", jwk.GetProperty("kty").GetString());
        Assert.Equal("Ed25519", jwk.GetProperty("crv").GetString());
        Assert.Equal("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo", jwk.GetProperty("x").GetString());
        Assert.Equal("kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k", jwk.GetProperty("kid").GetString());
        Assert.Equal("EdDSA", jwk.GetProperty("alg").GetString());
    }

    [Fact]
    public void Reading_returns_the_ed25519_keys_written_and_skips_other_key_types()
    {
        var keys = new[] { Ed25519SigningKey.Generate().PublicKey, Ed25519SigningKey.Generate().PublicKey };
        var written = Encoding.UTF8.GetString(JsonWebKeySet.Write(keys));
        var withRsa = written.Replace("""{"keys":[""", """{"keys":[{"kty":"RSA","n":"AQAB","e":"AQAB"},""", StringComparison.Ordinal);

        var read = JsonWebKeySet.Read(Encoding.UTF8.GetBytes(withRsa));

        Assert.Equal(keys.Select(k => k.Serialize()), read.Select(k => k.Serialize()));
    }

    [Theory]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("""{"keys":{}}""")]
    [InlineData("""{"keys":[{"kty":"OKP","crv":"Ed25519","x":"AQID"}]}""")]
    [InlineData("""{"keys":[{"kty":"OKP","crv":"Ed25519"}]}""")]
    public void A_document_that_is_not_a_key_set_is_a_format_error(string document)
    {
        Assert.Throws<FormatException>(() => JsonWebKeySet.Read(Encoding.UTF8.GetBytes(document)));
    }
}
