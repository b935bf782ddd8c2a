using System.Text.Json;
using PubSub.IntegrationTests.Infrastructure;

namespace PubSub.IntegrationTests.Cli;

/// <summary><c>pubsub send</c> against a running ingestion process: what is stored (and so what subscribers
/// receive) is the data as given.</summary>
[Collection(AwsEmulatorsCollection.Name)]
public sealed class SendCommandTests(AwsEmulatorsFixture aws)
{
    private const string Key = "send-test-key-7Hq2Lm9Xv4Nc8Rt1Zs5B";

    [Fact]
    public async Task Send_type_and_data_stores_the_data_as_given_with_the_type_beside_it()
    {
        await using var host = await ServiceProcess.StartIngestionAsync(aws.Embedded?.EnvironmentVariables, TestEvents.Definition,
            new Dictionary<string, string> { ["demo"] = Key });
        Assert.True(await host.HealthyAsync(), host.Output);

        var sent = await CliRunner.RunAsync(null, "send", "--endpoint", host.BaseUrl.ToString(), "--key", Key,
            "--type", "order.created", "--data", """{"orderId":7,"total":9.5}""");
        Assert.True(sent.ExitCode == 0, sent.Stdout + sent.Stderr);
        Assert.StartsWith("202 ", sent.Stdout, StringComparison.Ordinal);
        var id = JsonDocument.Parse(sent.Stdout[4..]).RootElement.GetProperty("id").GetString()!;

        var stored = await CliRunner.RunAsync(null, "events", "get", id, "--publisher", "demo", "--definition", TestEvents.Definition, "--json");

        Assert.True(stored.ExitCode == 0, stored.Stdout + stored.Stderr);
        var cloudEvent = JsonDocument.Parse(stored.Stdout).RootElement.GetProperty("cloudEvent");
        Assert.Equal("order.created", cloudEvent.GetProperty("type").GetString());
        Assert.Equal("""{"orderId":7,"total":9.5}""", cloudEvent.GetProperty("data").GetRawText());
    }
}
