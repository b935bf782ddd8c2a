using System.Diagnostics;

namespace PubSub.IntegrationTests.Cli;

/// <summary>Runs the real <c>pubsub</c> command as a process, as a user would.</summary>
internal static class CliRunner
{
    public static Task<CliResult> RunAsync(IReadOnlyDictionary<string, string?>? environment = null, params string[] args) =>
        RunProgramAsync("dotnet", [Path.Combine(AppContext.BaseDirectory, "pubsub.dll"), .. args], AppContext.BaseDirectory, environment);

    /// <summary>Runs any program (dotnet pack, an installed tool's shim) to its end, within two minutes. A null value
    /// in <paramref name="environment"/> removes that variable.</summary>
    public static async Task<CliResult> RunProgramAsync(string fileName, IEnumerable<string> args, string workingDirectory,
        IReadOnlyDictionary<string, string?>? environment = null)
    {
        var info = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = workingDirectory,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string?>())
        {
            // null removes a variable the test process has (its credentials, say), rather than setting it empty.
            if (value is null)
            {
                info.Environment.Remove(name);
            }
            else
            {
                info.Environment[name] = value;
            }
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        await process.WaitForExitAsync(timeout.Token);
        return new CliResult(process.ExitCode, await stdout, await stderr);
    }
}

internal sealed record CliResult(int ExitCode, string Stdout, string Stderr);
