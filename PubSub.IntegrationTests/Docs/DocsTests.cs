using PubSub.Emulators;
using PubSub.IntegrationTests.AppHost;
using PubSub.IntegrationTests.Cli;
using Xunit.Abstractions;

namespace PubSub.IntegrationTests.Docs;

/// <summary>
/// The docs' runnable blocks (<c>```bash runnable</c>) run against the whole AppHost, in order per file, and their
/// output must show what the doc's <c>```text expected</c> / <c>```json expected</c> block after them shows
/// (the convention is on <see cref="DocBlocks"/>). The AppHost here has its own boot, on free ports, so
/// that it neither collides with a developer's AppHost on the documented ports nor shares queues with
/// <see cref="AppHostTests"/>, which count what arrives in them: the documented endpoints
/// (<c>http://localhost:5080</c>, <c>:4566</c>) are replaced by the fixture's in each block, <c>--local</c>
/// finds them through <c>AWS_ENDPOINT_URL_*</c>, and <c>dotnet run --project PubSub.Cli --</c> and <c>pubsub</c>
/// run the built CLI.
/// </summary>
public sealed class DocsTests(AppHostFixture system, ITestOutputHelper output) : IClassFixture<AppHostFixture>
{
    private static readonly string Root = FindRoot();

    /// <summary>The files whose blocks run, in this order: the dead-letter walk-through follows the quick start (its
    /// error is the one the stream publisher gives once it has published), and it deletes a topic (it restores it, last).</summary>
    private static readonly string[] Files = ["README.md", "docs/dead-letters.md"];

    [Fact]
    public void Every_shell_block_of_the_tested_docs_says_whether_it_runs()
    {
        foreach (var file in Files)
        {
            Assert.Empty(DocBlocks.Unmarked(file, File.ReadAllText(Path.Combine(Root, file))));
        }
    }

    [Fact]
    public async Task The_quick_start_and_the_dead_letter_walk_through_do_what_the_docs_show()
    {
        foreach (var file in Files)
        {
            await RunAsync(file);
        }
    }

    private async Task RunAsync(string file)
    {
        var blocks = DocBlocks.Parse(file, await File.ReadAllTextAsync(Path.Combine(Root, file)));
        Assert.NotEmpty(blocks);
        foreach (var tool in new[] { "bash", "curl", "aws" })
        {
            if (ExecutableSearch.OnPath(tool) is null)
            {
                // In CI (.ci/run sets CI) a missing tool is a failure, not a silent pass: the machine image has
                // pip's aws 1.x, curl and bash. A developer without the AWS CLI is told and the blocks are skipped.
                Assert.True(Environment.GetEnvironmentVariable("CI") is null or "",
                    $"{tool} is not on PATH, so the runnable blocks of {file} cannot run (the README's prerequisites list it)");
                output.WriteLine($"{tool} is not on PATH: the runnable blocks of {file} did not run.");
                return;
            }
        }

        var ingestion = Base(system.App.GetEndpoint("ingestion", "http"));
        var messaging = Base(system.App.GetEndpoint("fauxqs", "http"));
        var dynamoDb = Base(system.App.GetEndpoint("dynamodb", "http"));
        var environment = new Dictionary<string, string?>
        {
            ["AWS_EC2_METADATA_DISABLED"] = "true",
            ["AWS_ACCESS_KEY_ID"] = "test",
            ["AWS_SECRET_ACCESS_KEY"] = "test",
            ["AWS_REGION"] = "us-east-1",
            ["AWS_ENDPOINT_URL_DYNAMODB"] = dynamoDb,
            ["AWS_ENDPOINT_URL_DYNAMODB_STREAMS"] = dynamoDb,
            ["AWS_ENDPOINT_URL_SNS"] = messaging,
            ["AWS_ENDPOINT_URL_SQS"] = messaging,
            ["AWS_ENDPOINT_URL_S3"] = messaging,
            ["NO_COLOR"] = "1",
        };
        var cli = Path.Combine(AppContext.BaseDirectory, "pubsub.dll");
        var prelude = $"set -e\npubsub() {{ dotnet '{cli}' \"$@\"; }}\n";
        foreach (var block in blocks)
        {
            var commands = block.Commands
                .Replace("http://localhost:5080", ingestion, StringComparison.Ordinal)
                .Replace("http://localhost:4566", messaging, StringComparison.Ordinal)
                .Replace("dotnet run --project PubSub.Cli --", "pubsub", StringComparison.Ordinal);
            var started = DateTime.UtcNow;
            var result = await CliRunner.RunProgramAsync("bash", ["-c", prelude + commands], Root, environment);
            output.WriteLine($"{block.File}:{block.Line} ({(DateTime.UtcNow - started).TotalSeconds:0.0} s, exit {result.ExitCode})");
            output.WriteLine(result.Stdout);
            Assert.True(result.ExitCode == 0, $"{block.File}:{block.Line} exits with {result.ExitCode}:\n{result.Stdout}\n{result.Stderr}");
            if (block.Expected is { } expected && DocBlocks.Compare(expected, result.Stdout) is { } difference)
            {
                Assert.Fail($"{block.File}:{block.Line}: {difference}");
            }
        }
    }

    private static string Base(Uri endpoint) => endpoint.ToString().TrimEnd('/');

    internal static string FindRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "PubSub.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("PubSub.sln not found above the test output.");
    }
}
