using PubSub.Webhooks.Signing;

namespace PubSub.UnitTests.Webhooks;

/// <summary>RFC 8032's first test vector (empty message) and RFC 8037's thumbprint of its public key.</summary>
public sealed class Ed25519KeyTests
{
    internal const string Rfc8032Seed = "whsk_nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=";
    internal const string Rfc8032PublicKey = "whpk_11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=";

    [Fact]
    public void The_public_key_and_signature_are_those_of_rfc_8032()
    {
        var key = Ed25519SigningKey.Parse(Rfc8032Seed);
        var signature = new byte[64];

        key.Sign([], 0, signature);

        Assert.Equal(Rfc8032PublicKey, key.PublicKey.Serialize());
        Assert.Equal("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
            Convert.ToHexStringLower(signature));
        Assert.True(key.PublicKey.Verify([], 0, signature));
        signature[0] ^= 1;
        Assert.False(key.PublicKey.Verify([], 0, signature));
    }

    [Fact]
    public void The_key_id_is_the_rfc_7638_thumbprint_that_rfc_8037_computes()
    {
        var key = Ed25519PublicKey.Parse(Rfc8032PublicKey);

        Assert.Equal("kPrK_qmxVWaYVA9wwBF6Iuo3vVzz7TxHCTwXBygrS4k", key.KeyId);
        Assert.Equal("11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo", key.X);
    }

    [Fact]
    public void The_libsodium_form_seed_and_public_key_is_accepted_only_when_they_belong_together()
    {
        var seed = Convert.FromBase64String(Rfc8032Seed["whsk_".Length..]);
        var publicKey = Convert.FromBase64String(Rfc8032PublicKey["whpk_".Length..]);

        Assert.Equal(Rfc8032Seed, Ed25519SigningKey.Parse("whsk_" + Convert.ToBase64String([.. seed, .. publicKey])).Reveal());
        publicKey[0] ^= 1;
        Assert.False(Ed25519SigningKey.TryParse("whsk_" + Convert.ToBase64String([.. seed, .. publicKey]), out _, out var error));
        Assert.Contains("does not belong", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("whsec_nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=")]
    [InlineData("whsk_c2hvcnQ=")]
    [InlineData("whsk_***")]
    public void A_malformed_signing_key_is_refused(string text)
    {
        Assert.Throws<FormatException>(() => Ed25519SigningKey.Parse(text));
    }

    [Theory]
    [InlineData("whsk_11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=")]
    [InlineData("whpk_c2hvcnQ=")]
    // y = 2 is not the y of a curve point: 32 bytes that are not a key.
    [InlineData("whpk_AgAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")]
    public void A_malformed_public_key_is_refused(string text)
    {
        Assert.False(Ed25519PublicKey.TryParse(text, out _, out var error));
        Assert.False(string.IsNullOrEmpty(error));
    }

    [Fact]
    public void A_generated_key_signs_what_its_public_key_verifies_and_reads_back()
    {
        var key = Ed25519SigningKey.Generate();
        byte[] message = [1, 2, 3];
        var signature = new byte[64];

        key.Sign(message, message.Length, signature);

        Assert.True(Ed25519PublicKey.Parse(key.PublicKey.Serialize()).Verify(message, message.Length, signature));
        Assert.Equal(key.PublicKey.Serialize(), Ed25519SigningKey.Parse(key.Reveal()).PublicKey.Serialize());
    }
}
