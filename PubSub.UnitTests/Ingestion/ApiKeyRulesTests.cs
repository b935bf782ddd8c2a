using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using PubSub.Ingestion.Authentication;

namespace PubSub.UnitTests.Ingestion;

public sealed class ApiKeyRulesTests
{
    private const string StrongKey = "k2VbQx7rTn4LpZ9wHc3MfYd8JsGa6Re1";

    private static IConfiguration Keys(params (string Publisher, string Key)[] keys) => new ConfigurationBuilder()
        .AddInMemoryCollection(keys.Select(k => KeyValuePair.Create($"Publishers:{k.Publisher}:ApiKey", (string?)k.Key)))
        .Build();

    private static HostingEnvironment In(string environment) => new() { EnvironmentName = environment };

    [Fact]
    public void Outside_development_short_and_development_keys_stop_the_start_naming_each_publisher()
    {
        var error = Assert.Throws<InvalidOperationException>(() => ApiKeyRules.Validate(
            Keys(("demo", "dev-demo-key"), ("acme", "short-but-random"), ("good", StrongKey), ("devlong", "dev-" + StrongKey)),
            In(Environments.Production)));

        Assert.Contains("publisher 'demo'", error.Message, StringComparison.Ordinal);
        Assert.Contains("publisher 'acme': its key is shorter than 32 characters", error.Message, StringComparison.Ordinal);
        Assert.Contains("publisher 'devlong': its key is a development key", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("'good'", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(StrongKey, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void In_development_the_readmes_keys_are_accepted_and_strong_keys_pass_everywhere()
    {
        ApiKeyRules.Validate(Keys(("demo", "dev-demo-key")), In(Environments.Development));
        ApiKeyRules.Validate(Keys(("demo", StrongKey)), In(Environments.Production));
        ApiKeyRules.Validate(Keys(("demo", StrongKey)), In(Environments.Staging));
    }
}
