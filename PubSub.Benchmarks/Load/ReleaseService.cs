using System.Diagnostics;
using System.Net;
using PubSub.Emulators;

namespace PubSub.Benchmarks.Load;

/// <summary>One of the services as its own process, from its Release build (which building this
/// project with -c Release produces), on a free port, against the given emulators.</summary>
internal sealed class ReleaseService : IDisposable
{
    private ReleaseService(string name, Process process, Uri baseUrl)
    {
        Name = name;
        Process = process;
        BaseUrl = baseUrl;
    }

    public string Name { get; }

    public Process Process { get; }

    public Uri BaseUrl { get; }

    public static ReleaseService Start(string project, EmbeddedEmulators emulators, IReadOnlyDictionary<string, string> settings)
    {
        var dll = Path.Combine(EmulatorInstallation.Locate().RepositoryRoot, project, "bin", "Release", "net10.0", $"{project}.dll");
        if (!File.Exists(dll))
        {
            throw new InvalidOperationException($"{dll} is missing: run the harness with -c Release (it builds the services).");
        }

        var port = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        port.Start();
        var baseUrl = new Uri($"http://127.0.0.1:{((IPEndPoint)port.LocalEndpoint).Port}");
        port.Stop();
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(dll);
        info.ArgumentList.Add("--urls");
        info.ArgumentList.Add(baseUrl.ToString());
        foreach (var (name, value) in emulators.EnvironmentVariables)
        {
            info.Environment[name] = value;
        }

        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Ingestion__FingerprintKey"] = "load-harness-fingerprint-key-0123456789";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (name, value) in settings)
        {
            info.Environment[name] = value;
        }

        var process = Process.Start(info)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) { Console.Error.WriteLine($"{project}: {e.Data}"); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return new ReleaseService(project, process, baseUrl);
    }

    public async Task WaitForHealthAsync()
    {
        using var http = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(2) };
        for (var i = 0; i < 300; i++)
        {
            try
            {
                using var response = await http.GetAsync("/health");
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // not up yet
            }

            if (Process.HasExited)
            {
                break;
            }

            await Task.Delay(100);
        }

        throw new InvalidOperationException($"{Name} did not become healthy.");
    }

    public void Dispose()
    {
        if (!Process.HasExited)
        {
            Process.Kill(entireProcessTree: true);
            Process.WaitForExit();
        }

        Process.Dispose();
    }
}
