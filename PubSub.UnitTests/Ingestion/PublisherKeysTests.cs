using PubSub.Ingestion.Authentication;

namespace PubSub.UnitTests.Ingestion;

public sealed class PublisherKeysTests
{
    private static readonly PublisherKeys Keys = new([new("demo", "dev-demo-key"), new("acme", "dev-acme-key")]);

    [Theory]
    [InlineData("dev-demo-key", "demo")]
    [InlineData("dev-acme-key", "acme")]
    [InlineData("dev-demo-ke", null)]
    [InlineData("DEV-DEMO-KEY", null)]
    [InlineData("", null)]
    public void A_key_identifies_exactly_its_publisher(string key, string? publisher) =>
        Assert.Equal(publisher, Keys.Authenticate(key));

    [Fact]
    public void Without_configured_keys_nobody_is_authenticated() =>
        Assert.Null(new PublisherKeys([]).Authenticate("dev-demo-key"));
}
