using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using PubSub.Emulators;

namespace PubSub.IntegrationTests.Infrastructure;

/// <summary>One of the services as its own process (its Debug build), on a free port, against the
/// emulators the given environment names: for tests that need real sockets or that kill the process.</summary>
internal sealed class ServiceProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(5) };

    private ServiceProcess(Process process, Uri baseUrl)
    {
        _process = process;
        BaseUrl = baseUrl;
    }

    public Uri BaseUrl { get; }

    public bool HasExited => _process.HasExited;

    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>The ingestion service with one publisher key per entry of <paramref name="keys"/>, healthy.</summary>
    public static Task<ServiceProcess> StartIngestionAsync(IReadOnlyDictionary<string, string>? environment, string definition,
        IReadOnlyDictionary<string, string> keys) =>
        StartAsync("PubSub.Ingestion", environment, new Dictionary<string, string>(
            keys.Select(k => KeyValuePair.Create($"Publishers__{k.Key}__ApiKey", k.Value)))
        {
            ["PubSub__Definition"] = definition,
        });

    /// <summary>The stream publisher (its local poller) with its own checkpoint table, healthy (polling).</summary>
    public static Task<ServiceProcess> StartStreamPublisherAsync(IReadOnlyDictionary<string, string>? environment, string definition,
        string checkpointTable, int batchSize) =>
        StartAsync("PubSub.StreamPublisher", environment, new Dictionary<string, string>
        {
            ["PubSub__Definition"] = definition,
            ["StreamPoller__CheckpointTable"] = checkpointTable,
            ["StreamPoller__BatchSize"] = batchSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
        });

    /// <summary>The webhook delivery worker (a queue reader per webhook subscription of the definition), signing with the
    /// secrets of <paramref name="secretsFile"/>, healthy (its readers started).</summary>
    public static Task<ServiceProcess> StartWebhookDeliveryAsync(IReadOnlyDictionary<string, string>? environment, string definition,
        string secretsFile) =>
        StartAsync("PubSub.WebhookDelivery", environment, new Dictionary<string, string>
        {
            ["PubSub__Definition"] = definition,
            ["Webhooks__SecretsFile"] = secretsFile,
        });

    private static async Task<ServiceProcess> StartAsync(string project, IReadOnlyDictionary<string, string>? environment,
        Dictionary<string, string> settings)
    {
        var dll = Path.Combine(EmulatorInstallation.Locate().RepositoryRoot, project, "bin", "Debug", "net10.0", $"{project}.dll");
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var baseUrl = new Uri($"http://127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}");
        listener.Stop();
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { dll, "--urls", baseUrl.ToString() })
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        info.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        info.Environment["Ingestion__FingerprintKey"] = "integration-tests-fingerprint-key-0123456789";
        info.Environment["Logging__LogLevel__Default"] = "Warning";
        foreach (var (name, value) in settings)
        {
            info.Environment[name] = value;
        }

        var started = new ServiceProcess(Process.Start(info)!, baseUrl);
        started._process.OutputDataReceived += (_, e) => started.Keep(e.Data);
        started._process.ErrorDataReceived += (_, e) => started.Keep(e.Data);
        started._process.BeginOutputReadLine();
        started._process.BeginErrorReadLine();
        for (var i = 0; i < 300 && !started.HasExited && !await started.HealthyAsync(); i++)
        {
            await Task.Delay(100);
        }

        return started;
    }

    public async Task<bool> HealthyAsync()
    {
        try
        {
            using var response = await _http.GetAsync(new Uri(BaseUrl, "/health"));
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    /// <summary>Resident memory now, from /proc.</summary>
    public long Rss() => File.ReadLines($"/proc/{_process.Id}/status").Where(l => l.StartsWith("VmRSS:", StringComparison.Ordinal))
        .Select(l => long.Parse(l[6..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024).First();

    /// <summary>SIGKILL: no shutdown, no flush, as a crash or an OOM kill.</summary>
    public async Task KillAsync()
    {
        _process.Kill();
        await _process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        if (!_process.HasExited)
        {
            await KillAsync();
        }

        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.AppendLine(line);
            }
        }
    }
}
