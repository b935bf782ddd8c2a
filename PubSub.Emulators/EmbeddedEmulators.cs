using System.Globalization;

namespace PubSub.Emulators;

/// <summary>DynamoDB Local and fauxqs, started together as child processes on free ports (tests) or
/// given ports, and stopped together. <see cref="EnvironmentVariables"/> points the AWS SDK at them.</summary>
public sealed class EmbeddedEmulators : IAsyncDisposable
{
    public const string Region = "us-east-1";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly EmulatorInstallation _installation;
    private readonly HttpClient _probeClient = new() { Timeout = TimeSpan.FromSeconds(2) };
    private EmulatorProcess? _dynamoDb;
    private EmulatorProcess? _messaging;

    private readonly string? _dynamoDbDataDirectory;

    private EmbeddedEmulators(EmulatorInstallation installation, int dynamoDbPort, int messagingPort, string? dynamoDbDataDirectory)
    {
        _installation = installation;
        _dynamoDbDataDirectory = dynamoDbDataDirectory;
        DynamoDbEndpoint = new Uri($"http://127.0.0.1:{dynamoDbPort}/");
        MessagingEndpoint = new Uri($"http://127.0.0.1:{messagingPort}/");
    }

    /// <summary>DynamoDB and DynamoDB Streams.</summary>
    public Uri DynamoDbEndpoint { get; }

    /// <summary>SNS, SQS and S3.</summary>
    public Uri MessagingEndpoint { get; }

    /// <summary>What a process needs in its environment to use these emulators through the AWS SDK.</summary>
    public IReadOnlyDictionary<string, string> EnvironmentVariables => ForEndpoints(DynamoDbEndpoint, MessagingEndpoint);

    public static IReadOnlyDictionary<string, string> ForEndpoints(Uri dynamoDb, Uri messaging)
    {
        var dynamo = dynamoDb.ToString().TrimEnd('/');
        var messages = messaging.ToString().TrimEnd('/');
        return new Dictionary<string, string>
        {
            ["AWS_REGION"] = Region,
            ["AWS_ACCESS_KEY_ID"] = "test",
            ["AWS_SECRET_ACCESS_KEY"] = "test",
            ["AWS_EC2_METADATA_DISABLED"] = "true",
            ["AWS_ENDPOINT_URL_DYNAMODB"] = dynamo,
            ["AWS_ENDPOINT_URL_DYNAMODB_STREAMS"] = dynamo,
            ["AWS_ENDPOINT_URL_SNS"] = messages,
            ["AWS_ENDPOINT_URL_SQS"] = messages,
            ["AWS_ENDPOINT_URL_S3"] = messages,
        };
    }

    /// <summary>Starts both emulators and waits until they answer. Ports default to free ones.</summary>
    /// <param name="dynamoDbDataDirectory">Keep DynamoDB Local's data in this folder, so that a restart
    /// (<see cref="StopDynamoDbAsync"/>, <see cref="StartDynamoDbAsync"/>) finds it again; in memory when null.</param>
    public static async Task<EmbeddedEmulators> StartAsync(int? dynamoDbPort = null, int? messagingPort = null,
        string? dynamoDbDataDirectory = null, CancellationToken cancellationToken = default)
    {
        var emulators = new EmbeddedEmulators(EmulatorInstallation.Locate(),
            dynamoDbPort ?? FreePort.Next(), messagingPort ?? FreePort.Next(), dynamoDbDataDirectory);
        try
        {
            await Task.WhenAll(emulators.StartDynamoDbAsync(cancellationToken), emulators.StartMessagingAsync(cancellationToken))
                .ConfigureAwait(false);
            return emulators;
        }
        catch
        {
            await emulators.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>Starts DynamoDB Local (again, after <see cref="StopDynamoDbAsync"/>: on the same port, with
    /// the same data when it has a data directory, else a fresh, empty database).</summary>
    public async Task StartDynamoDbAsync(CancellationToken cancellationToken = default)
    {
        _dynamoDb = EmulatorProcess.Start(EmulatorCommand.DynamoDbLocal(_installation, DynamoDbEndpoint.Port, _dynamoDbDataDirectory));
        await _dynamoDb.WaitUntilReadyAsync(ct => EmulatorProbes.DynamoDbReadyAsync(_probeClient, DynamoDbEndpoint, ct),
            StartTimeout, cancellationToken).ConfigureAwait(false);
    }

    public async Task StartMessagingAsync(CancellationToken cancellationToken = default)
    {
        _messaging = EmulatorProcess.Start(EmulatorCommand.Fauxqs(_installation, MessagingEndpoint.Port, Region));
        await _messaging.WaitUntilReadyAsync(ct => EmulatorProbes.FauxqsReadyAsync(_probeClient, MessagingEndpoint, ct),
            StartTimeout, cancellationToken).ConfigureAwait(false);
    }

    public Task StopDynamoDbAsync() => _dynamoDb?.StopAsync() ?? Task.CompletedTask;

    public Task StopMessagingAsync() => _messaging?.StopAsync() ?? Task.CompletedTask;

    /// <summary>Kills DynamoDB Local (SIGKILL); <see cref="StartDynamoDbAsync"/> brings it back.</summary>
    public Task KillDynamoDbAsync() => _dynamoDb?.KillAsync() ?? Task.CompletedTask;

    /// <summary>The process ids of DynamoDB Local and fauxqs (or their supervisors), for CPU and memory figures.</summary>
    public (int? DynamoDb, int? Messaging) ProcessIds => (_dynamoDb?.ProcessId, _messaging?.ProcessId);

    public async ValueTask DisposeAsync()
    {
        if (_dynamoDb is not null)
        {
            await _dynamoDb.DisposeAsync().ConfigureAwait(false);
        }

        if (_messaging is not null)
        {
            await _messaging.DisposeAsync().ConfigureAwait(false);
        }

        _probeClient.Dispose();
    }

    public override string ToString() => string.Create(CultureInfo.InvariantCulture,
        $"DynamoDB Local at {DynamoDbEndpoint}, fauxqs at {MessagingEndpoint}");
}
