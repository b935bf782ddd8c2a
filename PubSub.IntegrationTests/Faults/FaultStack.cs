using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.SQS;
using Microsoft.Extensions.Logging.Abstractions;
using PubSub.Aws.SimpleNotificationService;
using PubSub.Definition;
using PubSub.Emulators;
using PubSub.Events;
using PubSub.IntegrationTests.Cli;
using PubSub.IntegrationTests.Infrastructure;
using PubSub.Provisioning;

namespace PubSub.IntegrationTests.Faults;

/// <summary>The whole local system for one fault test: an emulator pair of its own (DynamoDB Local
/// keeping its data on disk, so that it comes back with it after a kill), the repository's definition
/// provisioned, and the ingestion service and the stream publisher as processes. Its own clients and
/// environments, because the test process's environment points at the shared emulators.</summary>
internal sealed class FaultStack : IAsyncDisposable
{
    public const string ApiKey = "fault-test-key";
    public const string SubscriberQueue = "orders-demo";
    public const int StreamBatchSize = 100;

    private readonly string _data;
    private readonly string _checkpointTable = $"fault-checkpoints-{Guid.NewGuid():N}";

    private FaultStack(string data, EmbeddedEmulators emulators)
    {
        _data = data;
        Emulators = emulators;
        var credentials = new BasicAWSCredentials("test", "test");
        DynamoDb = new AmazonDynamoDBClient(credentials, new AmazonDynamoDBConfig
        {
            ServiceURL = emulators.DynamoDbEndpoint.ToString(), AuthenticationRegion = EmbeddedEmulators.Region, MaxErrorRetry = 1,
        });
        Sqs = new AmazonSQSClient(credentials, new AmazonSQSConfig
        {
            ServiceURL = emulators.MessagingEndpoint.ToString(), AuthenticationRegion = EmbeddedEmulators.Region,
        });
    }

    public EmbeddedEmulators Emulators { get; }

    public SystemDefinition Definition { get; } = SystemDefinitionLoader.Load(TestEvents.Definition);

    public AmazonDynamoDBClient DynamoDb { get; }

    public AmazonSQSClient Sqs { get; }

    public ServiceProcess Ingestion { get; private set; } = null!;

    public ServiceProcess StreamPublisher { get; private set; } = null!;

    public string SubscriberQueueUrl { get; private set; } = "";

    public string IngestionDeadLetterQueueUrl { get; private set; } = "";

    public string PublishDeadLetterQueueUrl { get; private set; } = "";

    /// <summary>What the services and the CLI get: the emulators' endpoints.</summary>
    public IReadOnlyDictionary<string, string> Environment => Emulators.EnvironmentVariables;

    /// <param name="streamPublisherEnvironment">Changes to the stream publisher's environment (an endpoint behind a proxy).</param>
    public static async Task<FaultStack> StartAsync(Func<FaultStack, IReadOnlyDictionary<string, string>>? streamPublisherEnvironment = null)
    {
        var data = Directory.CreateTempSubdirectory("pubsub-fault-").FullName;
        var stack = new FaultStack(data, await EmbeddedEmulators.StartAsync(dynamoDbDataDirectory: data));
        try
        {
            var credentials = new BasicAWSCredentials("test", "test");
            using var s3 = new AmazonS3Client(credentials, new AmazonS3Config
            {
                ServiceURL = stack.Emulators.MessagingEndpoint.ToString(), ForcePathStyle = true, AuthenticationRegion = EmbeddedEmulators.Region,
            });
            using var sns = new AmazonSimpleNotificationServiceClient(new AmazonSimpleNotificationServiceConfig
            {
                ServiceURL = stack.Emulators.MessagingEndpoint.ToString(), AuthenticationRegion = EmbeddedEmulators.Region,
            }, credentials);
            var resources = await new LocalProvisioner(stack.DynamoDb, stack.Sqs, s3, sns, NullLogger<LocalProvisioner>.Instance)
                .ProvisionAsync(stack.Definition, default);
            stack.SubscriberQueueUrl = resources.QueueUrls[SubscriberQueue];
            stack.IngestionDeadLetterQueueUrl = resources.QueueUrls[stack.Definition.DeadLetterQueues.Ingestion];
            stack.PublishDeadLetterQueueUrl = resources.QueueUrls[stack.Definition.DeadLetterQueues.Publish];
            stack.Ingestion = await ServiceProcess.StartIngestionAsync(stack.Environment, TestEvents.Definition,
                new Dictionary<string, string> { ["demo"] = ApiKey });
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

        StreamPublisher = await ServiceProcess.StartStreamPublisherAsync(environment, TestEvents.Definition, _checkpointTable, StreamBatchSize);
        if (!await StreamPublisher.HealthyAsync())
        {
            throw new InvalidOperationException("The stream publisher did not start: " + StreamPublisher.Output);
        }
    }

    /// <summary>Runs <c>pubsub dlq replay QUEUE --json</c> against this stack and returns how many it replayed.</summary>
    public async Task<int> ReplayAsync(string queue)
    {
        var result = await CliRunner.RunAsync(Environment.ToDictionary(kv => kv.Key, kv => (string?)kv.Value),
            "dlq", "replay", queue, "--definition", TestEvents.Definition, "--json");
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"dlq replay {queue} exited {result.ExitCode}: {result.Stdout}{result.Stderr}");
        }

        using var report = System.Text.Json.JsonDocument.Parse(result.Stdout);
        return report.RootElement.GetProperty("replayed").GetInt32() + report.RootElement.GetProperty("duplicates").GetInt32();
    }

    public async Task<int> QueueDepthAsync(string queueUrl)
    {
        var attributes = await Sqs.GetQueueAttributesAsync(queueUrl, ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]);
        return attributes.ApproximateNumberOfMessages + attributes.ApproximateNumberOfMessagesNotVisible;
    }

    /// <summary>How many of <paramref name="ids"/> (events of the publisher demo) the Events table holds.</summary>
    public async Task<int> StoredCountAsync(IEnumerable<string> ids)
    {
        var count = 0;
        foreach (var chunk in ids.Chunk(100))
        {
            var keys = new KeysAndAttributes
            {
                Keys = [.. chunk.Select(id => new Dictionary<string, AttributeValue> { [EventItem.Key] = new() { S = EventItem.KeyOf("demo", id) } })],
                ProjectionExpression = EventItem.Key,
                ConsistentRead = true,
            };
            while (keys is { Keys.Count: > 0 })
            {
                var response = await DynamoDb.BatchGetItemAsync(new BatchGetItemRequest { RequestItems = new() { [Definition.Events.Table] = keys } });
                count += response.Responses[Definition.Events.Table].Count;
                keys = response.UnprocessedKeys?.GetValueOrDefault(Definition.Events.Table)!;
            }
        }

        return count;
    }

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

        await Emulators.DisposeAsync();
        DynamoDb.Dispose();
        Sqs.Dispose();
        Directory.Delete(_data, recursive: true);
    }
}
