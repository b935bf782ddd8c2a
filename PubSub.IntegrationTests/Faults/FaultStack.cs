using Amazon.DynamoDBv2;
using Amazon.SQS;
using PubSub.Definition;
using PubSub.Emulators;
using PubSub.IntegrationTests.Cli;
using PubSub.IntegrationTests.Infrastructure;

namespace PubSub.IntegrationTests.Faults;

/// <summary>The whole local system for one fault test: an emulator pair of its own
/// (<see cref="IsolatedEmulators"/>), and the ingestion service and the stream publisher as processes.</summary>
internal sealed class FaultStack : IAsyncDisposable
{
    public const string ApiKey = "fault-test-key-7Hq2Lw9Zr4Tn6Vb3Mx8P";
    public const string SubscriberQueue = "orders-demo";
    public const int StreamBatchSize = 100;

    private readonly IsolatedEmulators _aws;
    private readonly string _checkpointTable = $"fault-checkpoints-{Guid.NewGuid():N}";

    private FaultStack(IsolatedEmulators aws) => _aws = aws;

    public EmbeddedEmulators Emulators => _aws.Emulators;

    /// <summary>SNS, SQS and S3 (fauxqs, or moto).</summary>
    public Uri MessagingEndpoint => _aws.MessagingEndpoint;

    public SystemDefinition Definition => _aws.Definition;

    public string DefinitionPath => _aws.DefinitionPath;

    /// <summary>Every queue the provisioner created, by name (subscriber queues and dead-letter queues).</summary>
    public IReadOnlyDictionary<string, string> QueueUrls => _aws.Resources.QueueUrls;

    public AmazonDynamoDBClient DynamoDb => _aws.DynamoDb;

    public AmazonSQSClient Sqs => _aws.Sqs;

    public ServiceProcess Ingestion { get; private set; } = null!;

    public ServiceProcess StreamPublisher { get; private set; } = null!;

    public string SubscriberQueueUrl => _aws.Resources.QueueUrls[SubscriberQueue];

    public string IngestionDeadLetterQueueUrl => _aws.Resources.QueueUrls[Definition.DeadLetterQueues.Ingestion];

    public string PublishDeadLetterQueueUrl => _aws.Resources.QueueUrls[Definition.DeadLetterQueues.Publish];

    /// <summary>What the services and the CLI get: the emulators' endpoints.</summary>
    public IReadOnlyDictionary<string, string> Environment => _aws.Environment;

    /// <param name="streamPublisherEnvironment">Changes to the stream publisher's environment (an endpoint behind a proxy).</param>
    /// <param name="definition">The definition file for the whole stack; the repository's by default.</param>
    /// <param name="apiKeys">API keys by publisher; by default <see cref="ApiKey"/> for <c>demo</c>.</param>
    /// <param name="onMoto">On a moto_server of its own instead of the emulator pair.</param>
    public static async Task<FaultStack> StartAsync(Func<FaultStack, IReadOnlyDictionary<string, string>>? streamPublisherEnvironment = null,
        string? definition = null, IReadOnlyDictionary<string, string>? apiKeys = null, bool onMoto = false)
    {
        var stack = new FaultStack(await IsolatedEmulators.StartAsync(definition, onMoto));
        try
        {
            stack.Ingestion = await ServiceProcess.StartIngestionAsync(stack.Environment, stack.DefinitionPath,
                apiKeys ?? new Dictionary<string, string> { ["demo"] = ApiKey });
            await stack.StartStreamPublisherAsync(streamPublisherEnvironment?.Invoke(stack));
            if (!await stack.Ingestion.HealthyAsync())
            {
                throw new InvalidOperationException("The ingestion service did not start: " + stack.Ingestion.Output);
            }

            return stack;
        }
        catch
        {
            await stack.DisposeAsync();
            throw;
        }
    }

    /// <summary>Starts (or, after a kill, starts again) the stream publisher, with the same checkpoint table.</summary>
    public async Task StartStreamPublisherAsync(IReadOnlyDictionary<string, string>? changes = null)
    {
        var environment = Environment.ToDictionary();
        foreach (var (name, value) in changes ?? new Dictionary<string, string>())
        {
            environment[name] = value;
        }

        StreamPublisher = await ServiceProcess.StartStreamPublisherAsync(environment, DefinitionPath, _checkpointTable, StreamBatchSize);
        if (!await StreamPublisher.HealthyAsync())
        {
            throw new InvalidOperationException("The stream publisher did not start: " + StreamPublisher.Output);
        }
    }

    /// <summary>Runs <c>pubsub dlq replay QUEUE --json</c> against this stack and returns how many it replayed.</summary>
    public async Task<int> ReplayAsync(string queue)
    {
        var result = await CliRunner.RunAsync(Environment.ToDictionary(kv => kv.Key, kv => (string?)kv.Value),
            "dlq", "replay", queue, "--definition", DefinitionPath, "--json");
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"dlq replay {queue} exited {result.ExitCode}: {result.Stdout}{result.Stderr}");
        }

        using var report = System.Text.Json.JsonDocument.Parse(result.Stdout);
        return report.RootElement.GetProperty("replayed").GetInt32() + report.RootElement.GetProperty("duplicates").GetInt32();
    }

    public Task<int> QueueDepthAsync(string queueUrl) => _aws.QueueDepthAsync(queueUrl);

    public Task<int> StoredCountAsync(IEnumerable<string> ids) => _aws.StoredCountAsync(ids);

    public async ValueTask DisposeAsync()
    {
        if (Ingestion is not null)
        {
            await Ingestion.DisposeAsync();
        }

        if (StreamPublisher is not null)
        {
            await StreamPublisher.DisposeAsync();
        }

        await _aws.DisposeAsync();
    }
}
