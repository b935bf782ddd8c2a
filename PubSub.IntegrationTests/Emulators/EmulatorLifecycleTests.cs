using System.Diagnostics;
using PubSub.Emulators;

namespace PubSub.IntegrationTests.Emulators;

public sealed class EmulatorLifecycleTests
{
    [Fact]
    public async Task The_emulators_start_on_free_ports_answer_and_stop_cleanly()
    {
        await using var emulators = await EmbeddedEmulators.StartAsync();
        using var http = new HttpClient();

        Assert.True(await EmulatorProbes.DynamoDbReadyAsync(http, emulators.DynamoDbEndpoint, CancellationToken.None));
        Assert.True(await EmulatorProbes.FauxqsReadyAsync(http, emulators.MessagingEndpoint, CancellationToken.None));
        Assert.NotEqual(8000, emulators.DynamoDbEndpoint.Port);
        Assert.NotEqual(4566, emulators.MessagingEndpoint.Port);

        await emulators.StopDynamoDbAsync();
        await emulators.StopMessagingAsync();

        Assert.False(await EmulatorProbes.DynamoDbReadyAsync(http, emulators.DynamoDbEndpoint, CancellationToken.None));
        Assert.False(await EmulatorProbes.FauxqsReadyAsync(http, emulators.MessagingEndpoint, CancellationToken.None));
    }

    [Fact]
    public async Task A_supervised_process_is_stopped_when_its_parent_dies_without_cleaning_up()
    {
        // Stands in for a test run killed with SIGKILL: the "parent" exits and nobody calls Stop.
        using var parent = Process.Start("sleep", "1")!;
        using var supervisor = Process.Start(new ProcessStartInfo("/bin/bash")
        {
            ArgumentList = { Path.Combine(AppContext.BaseDirectory, "supervise.sh"), parent.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "sleep", "300" },
        })!;

        var exited = supervisor.WaitForExit(TimeSpan.FromSeconds(15));

        Assert.True(exited, "supervise.sh should stop its command once the parent is gone");
        Assert.DoesNotContain(Process.GetProcessesByName("sleep"), p => StartedAfter(p, parent));
    }

    [Fact]
    public void An_installation_without_dynamodb_local_is_reported_with_what_to_do()
    {
        var root = Directory.CreateTempSubdirectory();
        try
        {
            File.WriteAllText(Path.Combine(root.FullName, "package.json"), "{}");
            Directory.CreateDirectory(Path.Combine(root.FullName, "node_modules", "fauxqs"));

            var error = Assert.Throws<EmulatorException>(() => EmulatorInstallation.Locate(root.FullName));

            Assert.Contains("npm ci", error.Message, StringComparison.Ordinal);
        }
        finally
        {
            root.Delete(recursive: true);
        }
    }

    private static bool StartedAfter(Process candidate, Process parent)
    {
        try
        {
            return candidate.StartTime >= parent.StartTime && candidate.StartTime < DateTime.Now.AddSeconds(-0.1)
                   && File.ReadAllText($"/proc/{candidate.Id}/cmdline").Contains("300", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is InvalidOperationException or IOException or System.ComponentModel.Win32Exception)
        {
            return false; // it exited meanwhile
        }
    }
}
