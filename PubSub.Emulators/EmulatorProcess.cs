using System.Diagnostics;

namespace PubSub.Emulators;

/// <summary>One running emulator. On Unix it runs under supervise.sh, which stops it if this process
/// dies without cleaning up; <see cref="StopAsync"/> asks it to stop with SIGTERM, then kills it.</summary>
public sealed class EmulatorProcess : IAsyncDisposable
{
    private const int OutputLinesKept = 50;

    private readonly Process _process;
    private readonly Queue<string> _output = new();

    private EmulatorProcess(EmulatorCommand command, Process process)
    {
        Command = command;
        _process = process;
    }

    public EmulatorCommand Command { get; }

    public bool HasExited => _process.HasExited;

    /// <summary>The started process: under supervise.sh this is the supervisor, the emulator its child.</summary>
    public int ProcessId => _process.Id;

    public static EmulatorProcess Start(EmulatorCommand command)
    {
        var supervisor = Path.Combine(AppContext.BaseDirectory, "supervise.sh");
        var supervised = !OperatingSystem.IsWindows() && File.Exists(supervisor);
        var info = new ProcessStartInfo
        {
            FileName = supervised ? "/bin/bash" : command.FileName,
            WorkingDirectory = command.WorkingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (supervised)
        {
            info.ArgumentList.Add(supervisor);
            info.ArgumentList.Add(Environment.ProcessId.ToString(System.Globalization.CultureInfo.InvariantCulture));
            info.ArgumentList.Add(command.FileName);
        }

        foreach (var argument in command.Arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in command.Environment)
        {
            info.Environment[name] = value;
        }

        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        var emulator = new EmulatorProcess(command, process);
        process.OutputDataReceived += (_, e) => emulator.Keep(e.Data);
        process.ErrorDataReceived += (_, e) => emulator.Keep(e.Data);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new EmulatorException($"Cannot start {command.Name} ({command.FileName}): {e.Message}", e);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return emulator;
    }

    /// <summary>Polls <paramref name="probe"/> until it answers true; fails early if the process exits.</summary>
    public async Task WaitUntilReadyAsync(Func<CancellationToken, Task<bool>> probe, TimeSpan timeout,
        CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        while (Stopwatch.GetElapsedTime(started) < timeout)
        {
            if (_process.HasExited)
            {
                throw new EmulatorException($"{Command.Name} exited with code {_process.ExitCode} while starting:{Environment.NewLine}{RecentOutput}");
            }

            using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attempt.CancelAfter(TimeSpan.FromSeconds(2));
            try
            {
                if (await probe(attempt.Token).ConfigureAwait(false))
                {
                    return;
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // a probe slower than its 2 s (a loaded machine): not ready yet, ask again
            }

            await Task.Delay(100, cancellationToken).ConfigureAwait(false);
        }

        throw new EmulatorException($"{Command.Name} did not answer within {timeout.TotalSeconds:F0} s:{Environment.NewLine}{RecentOutput}");
    }

    /// <summary>The last lines the emulator printed, for error messages.</summary>
    public string RecentOutput
    {
        get
        {
            lock (_output)
            {
                return string.Join(Environment.NewLine, _output);
            }
        }
    }

    public async Task StopAsync()
    {
        if (_process.HasExited)
        {
            return;
        }

        if (!OperatingSystem.IsWindows())
        {
            _ = Signals.Terminate(_process.Id);
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try
            {
                await _process.WaitForExitAsync(grace.Token).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException)
            {
                // it did not stop in time: kill it below
            }
        }

        _process.Kill(entireProcessTree: true);
        await _process.WaitForExitAsync().ConfigureAwait(false);
    }

    /// <summary>SIGKILL, no grace: as a crash or an OOM kill.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
            await _process.WaitForExitAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        _process.Dispose();
    }

    private void Keep(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            if (_output.Count == OutputLinesKept)
            {
                _output.Dequeue();
            }

            _output.Enqueue(line);
        }
    }
}
