using System.Globalization;

namespace PubSub.Emulators;

/// <summary>moto's <c>moto_server</c> (a second, independent implementation of the AWS APIs, from pip) as a
/// child process on a free port: DynamoDB, DynamoDB Streams, SNS, SQS and S3 all on that one port. Only tests
/// use it, to check our clients and emulators against another reading of the AWS API; nothing depends on it.</summary>
public sealed class MotoServer : IAsyncDisposable
{
    public const string ExecutableName = "moto_server";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly EmulatorProcess _process;

    private MotoServer(EmulatorProcess process, Uri endpoint)
    {
        _process = process;
        Endpoint = endpoint;
    }

    /// <summary>Every service's endpoint.</summary>
    public Uri Endpoint { get; }

    /// <summary>What a process needs in its environment to use moto through the AWS SDK.</summary>
    public IReadOnlyDictionary<string, string> EnvironmentVariables => EmbeddedEmulators.ForEndpoints(Endpoint, Endpoint);

    /// <summary>moto_server's full path, or null when PATH has none.</summary>
    public static string? Locate() => ExecutableSearch.OnPath(ExecutableName);

    /// <summary>Starts moto_server (found on PATH) on a free port and waits until it answers.</summary>
    public static async Task<MotoServer> StartAsync(CancellationToken cancellationToken = default)
    {
        var executable = Locate() ?? throw new EmulatorException(
            $"{ExecutableName} is not on PATH (pip install 'moto[server]' provides it).");
        var port = FreePort.Next();
        var command = new EmulatorCommand(ExecutableName, executable,
            ["-H", "127.0.0.1", "-p", port.ToString(CultureInfo.InvariantCulture)], new Dictionary<string, string>(),
            Path.GetTempPath());
        var server = new MotoServer(EmulatorProcess.Start(command), new Uri($"http://127.0.0.1:{port}/"));
        try
        {
            using var probeClient = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
            await server._process.WaitUntilReadyAsync(ct => EmulatorProbes.MotoReadyAsync(probeClient, server.Endpoint, ct),
                StartTimeout, cancellationToken).ConfigureAwait(false);
            return server;
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Stops moto_server: SIGTERM, then the whole process tree is killed if it lingers.</summary>
    public ValueTask DisposeAsync() => _process.DisposeAsync();

    public override string ToString() => $"moto_server at {Endpoint}";
}
