using PubSub.Webhooks.Signing;

namespace PubSub.UnitTests.Webhooks;

public sealed class WebhookSecretTests
{
    [Fact]
    public void A_generated_secret_is_whsec_and_32_random_bytes()
    {
        var first = WebhookSecret.Generate().Reveal();
        var second = WebhookSecret.Generate().Reveal();

        Assert.StartsWith("whsec_", first, StringComparison.Ordinal);
        Assert.Equal(32, Convert.FromBase64String(first["whsec_".Length..]).Length);
        Assert.NotEqual(first, second);
    }

    [Fact]
    public void A_secret_reads_back_what_it_revealed()
    {
        var secret = WebhookSecret.Generate();

        Assert.Equal(secret.Reveal(), WebhookSecret.Parse(secret.Reveal()).Reveal());
    }

    [Fact]
    public void The_bare_base64_that_the_reference_libraries_accept_is_accepted()
    {
        Assert.Equal("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", WebhookSecret.Parse("MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw").Reveal());
        Assert.Equal("whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw", WebhookSecret.Parse(" whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw\n").Reveal());
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("whsec_", "0 bytes")]
    [InlineData("whsec_not-base64!", "standard base64")]
    [InlineData("whsec_c2hvcnQ=", "5 bytes")]
    [InlineData("whsec_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", "one byte repeated")]
    [InlineData("whsec_////////////////////////////////", "one byte repeated")]
    [InlineData("whsec_MfKQ9r8GKYqrTwjUPD8ILPZI MfKQ9r8GKYqrTwjUPD8ILPZI", "white space")]
    [InlineData("whsec_MfKQ9r8GKYqrTwjUPD8ILPZI\nMfKQ9r8GKYqrTwjUPD8ILPZI", "white space")]
    [InlineData("whsk_nWGxne/9WmC6hEr0kuwsxERJxWl7MmkZcDusAxyuf2A=", "Ed25519")]
    [InlineData("whpk_11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=", "Ed25519")]
    public void A_malformed_or_short_secret_is_refused_with_a_reason(string text, string reason)
    {
        Assert.False(WebhookSecret.TryParse(text, out _, out var error));
        Assert.Contains(reason, error, StringComparison.Ordinal);
        Assert.Contains(reason, Assert.Throws<FormatException>(() => WebhookSecret.Parse(text)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_secret_longer_than_64_bytes_is_refused()
    {
        Assert.False(WebhookSecret.TryParse("whsec_" + Convert.ToBase64String(new byte[65]), out _, out var error));
        Assert.Contains("64 bytes", error, StringComparison.Ordinal);
        Assert.True(WebhookSecret.TryParse("whsec_" + Convert.ToBase64String(System.Security.Cryptography.RandomNumberGenerator.GetBytes(64)), out _, out _)); // random: one repeated byte is refused as a placeholder
    }

    [Fact]
    public void A_refusal_never_quotes_the_text()
    {
        const string almost = "whsec_c2VjcmV0LXRvby1zaG9ydA==";

        Assert.False(WebhookSecret.TryParse(almost, out _, out var error));
        Assert.DoesNotContain("c2VjcmV0", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Neither_a_secret_nor_a_signing_key_shows_itself_in_ToString()
    {
        var secret = WebhookSecret.Generate();
        var key = Ed25519SigningKey.Generate();

        Assert.Equal("whsec_[redacted]", secret.ToString());
        Assert.Equal("whsk_[redacted]", key.ToString());
        Assert.Equal("whsec_[redacted]", $"{secret}");
    }
}
