using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using PubSub.Emulators;

namespace PubSub.IntegrationTests.Webhooks;

/// <summary>Runs standardwebhooks-check.cjs with the Node and the node_modules the emulators use (npm
/// <c>standardwebhooks</c> is installed beside them by the build's <c>npm ci</c>).</summary>
internal static class NodeCheck
{
    public static async Task<JsonElement> RunAsync(JsonObject request, CancellationToken cancellationToken = default)
    {
        var installation = EmulatorInstallation.Locate();
        var start = new ProcessStartInfo(installation.NodeExecutable, Path.Combine(AppContext.BaseDirectory, "Webhooks", "standardwebhooks-check.cjs"))
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            Environment = { ["NODE_PATH"] = Path.Combine(installation.RepositoryRoot, "node_modules") },
        };
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(30));
        using var node = Process.Start(start)!;
        await node.StandardInput.WriteAsync(request.ToJsonString());
        node.StandardInput.Close();
        var output = node.StandardOutput.ReadToEndAsync(timeout.Token);
        var errors = node.StandardError.ReadToEndAsync(timeout.Token);
        await node.WaitForExitAsync(timeout.Token);
        Assert.True(node.ExitCode == 0, $"node exited with {node.ExitCode}: {await errors}");
        return JsonDocument.Parse(await output).RootElement.Clone();
    }
}
