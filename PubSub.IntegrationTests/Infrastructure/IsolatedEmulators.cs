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
/// environment point at this pair explicitly, because the test process's environment points at the shared one.</summary>
internal sealed class IsolatedEmulators : IAsyncDisposable
{
    private readonly string _data;

    private IsolatedEmulators(string data, EmbeddedEmulators emulators, string definitionPath)
    {
        _data = data;
        Emulators = emulators;
        DefinitionPath = definitionPath;
        Definition = SystemDefinitionLoader.Load(definitionPath);
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

    /// <summary>The definition file provisioned (the repository's, unless the test gave its own).</summary>
    public string DefinitionPath { get; }

    public SystemDefinition Definition { get; }

    public AmazonDynamoDBClient DynamoDb { get; }

    public AmazonSQSClient Sqs { get; }

    public ProvisionedResources Resources { get; private set; } = null!;

    /// <summary>What processes (services, the CLI) get: this pair's endpoints.</summary>
    public IReadOnlyDictionary<string, string> Environment => Emulators.EnvironmentVariables;

    /// <param name="definition">The definition file to provision; the repository's by default.</param>
    public static async Task<IsolatedEmulators> StartAsync(string? definition = null)
    {
        var data = Directory.CreateTempSubdirectory("pubsub-ddb-").FullName;
        var isolated = new IsolatedEmulators(data, await StartEmulatorsAsync(data), definition ?? TestEvents.Definition);
        try
        {
            var credentials = new BasicAWSCredentials("test", "test");
            using var s3 = new AmazonS3Client(credentials, new AmazonS3Config
            {
                ServiceURL = isolated.Emulators.MessagingEndpoint.ToString(), ForcePathStyle = true, AuthenticationRegion = EmbeddedEmulators.Region,
            });
            using var sns = new AmazonSimpleNotificationServiceClient(new AmazonSimpleNotificationServiceConfig
            {
                ServiceURL = isolated.Emulators.MessagingEndpoint.ToString(), AuthenticationRegion = EmbeddedEmulators.Region,
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
        await Emulators.DisposeAsync();
        DynamoDb.Dispose();
        Sqs.Dispose();
        Directory.Delete(_data, recursive: true);
    }
}
