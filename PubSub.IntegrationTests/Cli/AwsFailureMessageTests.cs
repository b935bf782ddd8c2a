using System.Net;
using System.Net.Sockets;
using PubSub.IntegrationTests.Infrastructure;

namespace PubSub.IntegrationTests.Cli;

/// <summary>What the CLI says when it cannot make an AWS call: no credentials is a configuration error
/// (exit 2, what to set), not an endpoint that is down; an endpoint that is down still says so.</summary>
[Collection(AwsEmulatorsCollection.Name)]
public sealed class AwsFailureMessageTests
{
    private static string Definition => Path.Combine(AppContext.BaseDirectory, "pubsub.json");

    /// <summary>The test process's environment (pointing at the running emulators) without any credential:
    /// no keys, no profile file, no instance metadata.</summary>
    private static Dictionary<string, string?> WithoutCredentials()
    {
        var nowhere = Path.Combine(Path.GetTempPath(), "pubsub-no-aws-" + Guid.NewGuid().ToString("N"));
        return new Dictionary<string, string?>
        {
            ["AWS_ACCESS_KEY_ID"] = null,
            ["AWS_SECRET_ACCESS_KEY"] = null,
            ["AWS_SESSION_TOKEN"] = null,
            ["AWS_PROFILE"] = null,
            ["AWS_DEFAULT_PROFILE"] = null,
            ["AWS_WEB_IDENTITY_TOKEN_FILE"] = null,
            ["AWS_CONTAINER_CREDENTIALS_RELATIVE_URI"] = null,
            ["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = null,
            ["AWS_SHARED_CREDENTIALS_FILE"] = Path.Combine(nowhere, "credentials"),
            ["AWS_CONFIG_FILE"] = Path.Combine(nowhere, "config"),
            ["HOME"] = nowhere,
            ["AWS_EC2_METADATA_DISABLED"] = "true",
        };
    }

    [Theory]
    [InlineData("dlq", "list")] // SQS, through the official SDK
    [InlineData("topics", "list")] // SNS, through our own client and SigV4 signer
    public async Task Without_credentials_a_command_says_none_were_found_not_that_the_endpoint_is_down(string group, string command)
    {
        var result = await CliRunner.RunAsync(WithoutCredentials(), group, command, "--definition", Definition);

        Assert.True(result.ExitCode == 2, $"exit {result.ExitCode}: {result.Stderr}");
        Assert.Equal(
            "pubsub: no AWS credentials found: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
            + " (the local emulators take any, e.g. test and test; --local sets them with the local endpoints).",
            result.Stderr.Trim());
    }

    [Theory]
    [InlineData("dlq", "list")]
    [InlineData("topics", "list")]
    public async Task With_credentials_and_nothing_listening_a_command_says_the_endpoint_is_unreachable(string group, string command)
    {
        var closed = ClosedPort();
        var result = await CliRunner.RunAsync(new Dictionary<string, string?>
        {
            ["AWS_ENDPOINT_URL_SQS"] = closed, ["AWS_ENDPOINT_URL_SNS"] = closed,
            ["AWS_ACCESS_KEY_ID"] = "test", ["AWS_SECRET_ACCESS_KEY"] = "test",
        }, group, command, "--definition", Definition);

        Assert.True(result.ExitCode == 1, $"exit {result.ExitCode}: {result.Stderr}");
        Assert.StartsWith("pubsub: AWS call failed (Unreachable): ", result.Stderr, StringComparison.Ordinal);
        Assert.Contains("Is the endpoint up?", result.Stderr, StringComparison.Ordinal);
    }

    /// <summary>A loopback URL where nothing listens (the port was free a moment ago).</summary>
    private static string ClosedPort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return $"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
    }
}
