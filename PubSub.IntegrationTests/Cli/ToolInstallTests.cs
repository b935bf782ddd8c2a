using PubSub.Emulators;

namespace PubSub.IntegrationTests.Cli;

/// <summary>The CLI as a user gets it: <c>dotnet pack PubSub.Cli</c>, <c>dotnet tool install</c> from that package,
/// then <c>pubsub</c>. Packs the build this test project already made (--no-build), so it takes seconds, not a build.</summary>
public sealed class ToolInstallTests
{
#if DEBUG
    private const string Configuration = "Debug";
#else
    private const string Configuration = "Release";
#endif

    [Fact]
    public async Task The_packed_tool_installs_and_runs()
    {
        var root = EmulatorInstallation.Locate().RepositoryRoot;
        var work = Directory.CreateTempSubdirectory("pubsub-tool-");
        try
        {
            var packages = Path.Combine(work.FullName, "packages");
            var pack = await CliRunner.RunProgramAsync("dotnet",
                ["pack", Path.Combine(root, "PubSub.Cli"), "-c", Configuration, "--no-build", "--no-restore", "-o", packages, "-nodeReuse:false"], root);
            Assert.True(pack.ExitCode == 0, pack.Stdout + pack.Stderr);
            Assert.Single(Directory.GetFiles(packages, "PubSub.Cli.*.nupkg"));

            // Only the folder just packed as a source: the install must not depend on a feed.
            var config = Path.Combine(work.FullName, "nuget.config");
            await File.WriteAllTextAsync(config, $"""
                <?xml version="1.0" encoding="utf-8"?>
                <configuration><packageSources><clear /><add key="local" value="{packages}" /></packageSources></configuration>
                """);
            var tools = Path.Combine(work.FullName, "tools");
            var install = await CliRunner.RunProgramAsync("dotnet",
                ["tool", "install", "--tool-path", tools, "--configfile", config, "PubSub.Cli"], work.FullName);
            Assert.True(install.ExitCode == 0, install.Stdout + install.Stderr);

            var pubsub = Path.Combine(tools, OperatingSystem.IsWindows() ? "pubsub.exe" : "pubsub");
            var version = await CliRunner.RunProgramAsync(pubsub, ["--version"], work.FullName);
            var help = await CliRunner.RunProgramAsync(pubsub, ["--help"], work.FullName);

            Assert.True(version.ExitCode == 0, version.Stderr);
            Assert.Matches(@"^\d+\.\d+\.\d+", version.Stdout);
            Assert.True(help.ExitCode == 0, help.Stderr);
            Assert.Contains("pubsub: provision, operate and test the pub-sub eventing system.", help.Stdout, StringComparison.Ordinal);
            Assert.Contains("subscriptions", help.Stdout, StringComparison.Ordinal);
            // The specification 'cfn lint' reads ships inside the tool, once.
            Assert.Single(Directory.GetFiles(tools, "db.json.gz", SearchOption.AllDirectories));
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }
}
