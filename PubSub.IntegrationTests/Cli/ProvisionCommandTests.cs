using System.Text.Json;
using PubSub.IntegrationTests.Infrastructure;

namespace PubSub.IntegrationTests.Cli;

[Collection(AwsEmulatorsCollection.Name)]
public sealed class ProvisionCommandTests(AwsEmulatorsFixture aws)
{
    private static string Definition => Path.Combine(AppContext.BaseDirectory, "pubsub.json");

    [Fact]
    public async Task Provision_creates_the_definition_and_prints_its_resources_as_json()
    {
        // The fixture has set the process environment to its emulators; the child inherits it.
        var result = await CliRunner.RunAsync(null, "provision", "--definition", Definition, "--json");

        Assert.True(result.ExitCode == 0, result.Stderr);
        using var json = JsonDocument.Parse(result.Stdout);
        Assert.Equal(aws.Resources.StreamArn, json.RootElement.GetProperty("streamArn").GetString());
        Assert.Equal(aws.Resources.TopicArns["orders"], json.RootElement.GetProperty("topicArns").GetProperty("orders").GetString());
    }

    [Fact]
    public async Task Provisioning_again_says_the_resources_exist_rather_than_created()
    {
        // The fixture has provisioned this definition already.
        var result = await CliRunner.RunAsync(null, "provision", "--definition", Definition);

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Contains($"bucket {aws.Resources.ArchiveBucket} already exists", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("Created bucket", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_invalid_definition_is_one_line_per_problem_and_exit_code_2()
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, File.ReadAllText(Definition).Replace("\"topics\": [ \"orders\" ]", "\"topics\": [ \"ghost\" ]", StringComparison.Ordinal));

            var result = await CliRunner.RunAsync(null, "provision", "--definition", file);

            Assert.Equal(2, result.ExitCode);
            Assert.Contains("route 'orders' targets topic 'ghost', which is not declared", result.Stderr, StringComparison.Ordinal);
            Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task An_unreachable_endpoint_is_a_one_line_error_and_exit_code_1()
    {
        var closed = new Dictionary<string, string?> { ["AWS_ENDPOINT_URL_DYNAMODB"] = "http://127.0.0.1:9", ["AWS_MAX_ATTEMPTS"] = "1" };

        var result = await CliRunner.RunAsync(closed, "provision", "--definition", Definition);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("pubsub: AWS call failed", result.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", result.Stderr, StringComparison.Ordinal);
    }
}
