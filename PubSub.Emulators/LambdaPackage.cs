using System.Diagnostics;
using System.IO.Compression;

namespace PubSub.Emulators;

/// <summary>The Lambda deployment zips that <c>eng/package-lambda.sh</c> builds (a Native AOT bootstrap and
/// the system definition each), for tests and measurements that run the real executables.</summary>
public static class LambdaPackage
{
    public const string Ingestion = "ingestion", StreamPublisher = "stream-publisher";

    /// <summary>The zip of a function (<see cref="Ingestion"/> or <see cref="StreamPublisher"/>) in the folder <see cref="BuildAsync"/> returns.</summary>
    public static string ZipOf(string folder, string function) => Path.Combine(folder, $"pubsub-{function}-x86_64.zip");

    /// <summary>Runs the packaging script (incremental: seconds when nothing changed, a few minutes for a
    /// first Native AOT compile) and returns the folder of the zips.</summary>
    public static async Task<string> BuildAsync(string repositoryRoot, CancellationToken cancellationToken = default)
    {
        var info = new ProcessStartInfo("/bin/bash") { WorkingDirectory = repositoryRoot, RedirectStandardOutput = true, RedirectStandardError = true };
        info.ArgumentList.Add(Path.Combine(repositoryRoot, "eng", "package-lambda.sh"));
        using var process = Process.Start(info) ?? throw new EmulatorException("Could not start eng/package-lambda.sh.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var errors = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        if (process.ExitCode != 0)
        {
            throw new EmulatorException($"eng/package-lambda.sh failed with {process.ExitCode}: {await errors.ConfigureAwait(false)}{await output.ConfigureAwait(false)}");
        }

        return Path.Combine(repositoryRoot, "artifacts", "lambda");
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
