using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.SQS;
using Microsoft.Extensions.Logging.Abstractions;
using Amazon.SimpleNotificationService;
using PubSub.Definition;
using PubSub.Emulators;
using PubSub.Events;
using PubSub.Provisioning;

namespace PubSub.IntegrationTests.Infrastructure;

/// <summary>An emulator pair for one test that stops or kills an emulator: DynamoDB Local keeps its data
/// on disk (so it comes back with it), the repository's definition is provisioned, and the clients and
/// environment point at this pair explicitly, because the test process's environment points at the shared one.
/// Or, for a test run on the second backend, a moto_server of its own (one endpoint for every service).</summary>
internal sealed class IsolatedEmulators : IAsyncDisposable
{
    private readonly string? _data;
    private readonly EmbeddedEmulators? _embedded;
    private readonly MotoServer? _moto;

    private IsolatedEmulators(string? data, EmbeddedEmulators? embedded, MotoServer? moto, string definitionPath)
    {
        _data = data;
        _embedded = embedded;
        _moto = moto;
        DynamoDbEndpoint = embedded?.DynamoDbEndpoint ?? moto!.Endpoint;
        MessagingEndpoint = embedded?.MessagingEndpoint ?? moto!.Endpoint;
        DefinitionPath = definitionPath;
        Definition = SystemDefinitionLoader.Load(definitionPath);
        var credentials = new BasicAWSCredentials("test", "test");
        DynamoDb = new AmazonDynamoDBClient(credentials, new AmazonDynamoDBConfig
        {
            ServiceURL = DynamoDbEndpoint.ToString(), AuthenticationRegion = EmbeddedEmulators.Region, MaxErrorRetry = 1,
        });
        Sqs = new AmazonSQSClient(credentials, new AmazonSQSConfig
        {
            ServiceURL = MessagingEndpoint.ToString(), AuthenticationRegion = EmbeddedEmulators.Region,
        });
    }

    /// <summary>The emulator pair, to stop or kill one of them (not on moto, which serves every service from one process).</summary>
    public EmbeddedEmulators Emulators => _embedded ?? throw new InvalidOperationException("On moto there is no separate emulator to stop.");

    /// <summary>DynamoDB and DynamoDB Streams.</summary>
    public Uri DynamoDbEndpoint { get; }

    /// <summary>SNS, SQS and S3.</summary>
    public Uri MessagingEndpoint { get; }

    /// <summary>The definition file provisioned (the repository's, unless the test gave its own).</summary>
    public string DefinitionPath { get; }

    public SystemDefinition Definition { get; }

    public AmazonDynamoDBClient DynamoDb { get; }

    public AmazonSQSClient Sqs { get; }

    public ProvisionedResources Resources { get; private set; } = null!;

    /// <summary>What processes (services, the CLI) get: this pair's endpoints.</summary>
    public IReadOnlyDictionary<string, string> Environment => EmbeddedEmulators.ForEndpoints(DynamoDbEndpoint, MessagingEndpoint);

    /// <param name="definition">The definition file to provision; the repository's by default.</param>
    /// <param name="onMoto">A moto_server of its own instead of the emulator pair.</param>
    public static async Task<IsolatedEmulators> StartAsync(string? definition = null, bool onMoto = false)
    {
        IsolatedEmulators isolated;
        if (onMoto)
        {
            isolated = new IsolatedEmulators(null, null, await MotoServer.StartAsync(), definition ?? TestEvents.Definition);
        }
        else
        {
            var data = Directory.CreateTempSubdirectory("pubsub-ddb-").FullName;
            isolated = new IsolatedEmulators(data, await StartEmulatorsAsync(data), null, definition ?? TestEvents.Definition);
        }

        try
        {
            var credentials = new BasicAWSCredentials("test", "test");
            using var s3 = new AmazonS3Client(credentials, new AmazonS3Config
            {
                ServiceURL = isolated.MessagingEndpoint.ToString(), ForcePathStyle = true, AuthenticationRegion = EmbeddedEmulators.Region,
            });
            using var sns = new AmazonSimpleNotificationServiceClient(new AmazonSimpleNotificationServiceConfig
            {
                ServiceURL = isolated.MessagingEndpoint.ToString(), AuthenticationRegion = EmbeddedEmulators.Region,
            }, credentials);
            isolated.Resources = await new LocalProvisioner(isolated.DynamoDb, isolated.Sqs, s3, sns, NullLogger<LocalProvisioner>.Instance)
                .ProvisionAsync(isolated.Definition, default);
            return isolated;
        }
        catch
        {
            await isolated.DisposeAsync();
            throw;
        }
    }

    /// <summary>The emulator pair, tried three times: on a loaded machine a readiness probe that takes longer
    /// than its 2 s attempt fails the whole start with a TaskCanceledException (EmulatorProcess treats the
    /// attempt's timeout as the caller's cancellation).</summary>
    private static async Task<EmbeddedEmulators> StartEmulatorsAsync(string data)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                return await EmbeddedEmulators.StartAsync(dynamoDbDataDirectory: data);
            }
            catch (TaskCanceledException) when (attempt < 3)
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }
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
        if (_embedded is not null)
        {
            await _embedded.DisposeAsync();
        }

        if (_moto is not null)
        {
            await _moto.DisposeAsync();
        }

        DynamoDb.Dispose();
        Sqs.Dispose();
        if (_data is not null)
        {
            Directory.Delete(_data, recursive: true);
        }
    }
}
