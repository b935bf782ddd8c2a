using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Compression;

namespace PubSub.Emulators;

/// <summary>The Lambda deployment zips that <c>eng/package-lambda.sh</c> builds (a Native AOT bootstrap and
/// the system definition each, per architecture), for tests and measurements that run the real executables.</summary>
public static class LambdaPackage
{
    public const string Ingestion = "ingestion", StreamPublisher = "stream-publisher", WebhookDelivery = "webhook-delivery";

    /// <summary>Lambda's names of the architectures (the template's <c>Architecture</c> parameter and the zips' names).</summary>
    public const string X64 = "x86_64", Arm64 = "arm64";

    public static IReadOnlyList<string> Functions { get; } = [Ingestion, StreamPublisher, WebhookDelivery];

    public static IReadOnlyList<string> Architectures { get; } = [X64, Arm64];

    // One build per architecture per process: test classes share it (an arm64 build is two cross-compiles,
    // minutes on a clean clone). One script at a time: both architectures build the same library projects.
    private static readonly ConcurrentDictionary<(string Root, string Architecture), Lazy<Task<string>>> Builds = new();
    private static readonly SemaphoreSlim OneScriptAtATime = new(1, 1);

    /// <summary>The x86_64 zip of a function (<see cref="Ingestion"/>, <see cref="StreamPublisher"/> or <see cref="WebhookDelivery"/>) in the folder <see cref="BuildAsync(string, CancellationToken)"/> returns.</summary>
    public static string ZipOf(string folder, string function) => ZipOf(folder, function, X64);

    /// <summary>The zip of a function for an architecture (<see cref="X64"/> or <see cref="Arm64"/>).</summary>
    public static string ZipOf(string folder, string function, string architecture) => Path.Combine(folder, $"pubsub-{function}-{architecture}.zip");

    /// <summary>Builds the x86_64 zips (the architecture of this machine's tests that run them) and returns their folder.</summary>
    public static Task<string> BuildAsync(string repositoryRoot, CancellationToken cancellationToken = default) =>
        BuildAsync(repositoryRoot, X64, cancellationToken);

    /// <summary>Runs the packaging script for one architecture, once per process (incremental: seconds when nothing
    /// changed, a few minutes for a first Native AOT compile), and returns the folder of the zips.</summary>
    public static Task<string> BuildAsync(string repositoryRoot, string architecture, CancellationToken cancellationToken = default)
    {
        if (!Architectures.Contains(architecture))
        {
            throw new ArgumentOutOfRangeException(nameof(architecture), architecture, "x86_64 or arm64");
        }

        // The build is shared, so it runs to its end whoever stops waiting for it.
        return Builds.GetOrAdd((Path.GetFullPath(repositoryRoot), architecture),
                key => new Lazy<Task<string>>(() => RunScriptAsync(key.Root, key.Architecture)))
            .Value.WaitAsync(cancellationToken);
    }

    private static async Task<string> RunScriptAsync(string repositoryRoot, string architecture)
    {
        await OneScriptAtATime.WaitAsync(CancellationToken.None).ConfigureAwait(false);
        try
        {
            var info = new ProcessStartInfo("/bin/bash") { WorkingDirectory = repositoryRoot, RedirectStandardOutput = true, RedirectStandardError = true };
            info.ArgumentList.Add(Path.Combine(repositoryRoot, "eng", "package-lambda.sh"));
            info.ArgumentList.Add(architecture);
            using var process = Process.Start(info) ?? throw new EmulatorException("Could not start eng/package-lambda.sh.");
            var output = process.StandardOutput.ReadToEndAsync(CancellationToken.None);
            var errors = process.StandardError.ReadToEndAsync(CancellationToken.None);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            if (process.ExitCode != 0)
            {
                throw new EmulatorException($"eng/package-lambda.sh {architecture} failed with {process.ExitCode}: {await errors.ConfigureAwait(false)}{await output.ConfigureAwait(false)}");
            }

            return Path.Combine(repositoryRoot, "artifacts", "lambda");
        }
        finally
        {
            OneScriptAtATime.Release();
        }
    }

    /// <summary>Unpacks the zip as Lambda does (file modes included) into a new folder, the function's task root.</summary>
    public static string Extract(string zip)
    {
        var folder = Directory.CreateTempSubdirectory("pubsub-lambda-").FullName;
        ZipFile.ExtractToDirectory(zip, folder);
        return folder;
    }
}

/// <summary>A <c>bootstrap</c> executable running against a Runtime API, as Lambda runs it: the task
/// root as working directory, <c>_HANDLER</c>, <c>AWS_LAMBDA_RUNTIME_API</c> and the function's variables.</summary>
public sealed class LambdaExecutable : IAsyncDisposable
{
    private readonly Process _process;
    private readonly List<string> _output = [];

    private LambdaExecutable(Process process) => _process = process;

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>What it wrote to stdout and stderr so far (its JSON log lines).</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return string.Join(Environment.NewLine, _output);
            }
        }
    }

    public static LambdaExecutable Start(string taskRoot, string handler, string runtimeApi, IReadOnlyDictionary<string, string>? environment = null)
    {
        var info = new ProcessStartInfo(Path.Combine(taskRoot, "bootstrap"))
        {
            WorkingDirectory = taskRoot,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["_HANDLER"] = handler;
        info.Environment["LAMBDA_TASK_ROOT"] = taskRoot;
        info.Environment["AWS_LAMBDA_RUNTIME_API"] = runtimeApi;
        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            info.Environment[name] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var executable = new LambdaExecutable(process);
        process.OutputDataReceived += (_, e) => executable.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => executable.Keep(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return executable;
    }

    /// <summary>Resident memory now and at its peak (VmRSS and VmHWM from /proc), in bytes.</summary>
    public (long Current, long Peak) Memory()
    {
        long Read(string field) => File.ReadLines($"/proc/{_process.Id}/status")
            .Where(l => l.StartsWith(field + ":", StringComparison.Ordinal))
            .Select(l => long.Parse(l[(field.Length + 1)..].Trim().Split(' ')[0], System.Globalization.CultureInfo.InvariantCulture) * 1024)
            .First();
        return (Read("VmRSS"), Read("VmHWM"));
    }

    public Task WaitForExitAsync(CancellationToken cancellationToken) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>SIGTERM, as Lambda sends at shutdown.</summary>
    public void Terminate() => _ = Signals.Terminate(_process.Id);

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }

        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is not null)
        {
            lock (_output)
            {
                _output.Add(line);
            }
        }
    }
}
