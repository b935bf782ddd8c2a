using Amazon.DynamoDBv2;
using Amazon.S3;
using Amazon.SQS;
using Microsoft.Extensions.Logging.Abstractions;
using PubSub.Aws;
using Amazon.DynamoDBStreams;
using Amazon.SimpleNotificationService;
using PubSub.Definition;
using PubSub.Emulators;
using PubSub.Provisioning;
using Testcontainers.LocalStack;

namespace PubSub.IntegrationTests.Infrastructure;

/// <summary>The AWS services every integration test talks to, started once per test run and
/// provisioned from the repository's system definition. By default the docker-free emulators
/// (DynamoDB Local and fauxqs); with <c>PUBSUB_TEST_AWS=localstack</c> and a Docker engine,
/// LocalStack through Testcontainers; with <c>PUBSUB_TEST_AWS=moto</c>, moto_server (on PATH, from pip).</summary>
public sealed class AwsEmulatorsFixture : IAwsBackend, IAsyncLifetime
{
    public const string ModeVariable = "PUBSUB_TEST_AWS";

    private EmbeddedEmulators? _embedded;
    private LocalStackContainer? _localStack;
    private MotoServer? _moto;

    public SystemDefinition Definition { get; } = SystemDefinitionLoader.Load(Path.Combine(AppContext.BaseDirectory, "pubsub.json"));

    public ProvisionedResources Resources { get; private set; } = null!;

    public IAmazonDynamoDB DynamoDb { get; private set; } = null!;
    public IAmazonSQS Sqs { get; private set; } = null!;
    public IAmazonS3 S3 { get; private set; } = null!;
    public AmazonSimpleNotificationServiceClient Sns { get; private set; } = null!;
    public AmazonDynamoDBStreamsClient Streams { get; private set; } = null!;

    /// <summary>The embedded emulators, when they are what runs (null under LocalStack or moto).</summary>
    public EmbeddedEmulators? Embedded => _embedded;

    public async Task InitializeAsync()
    {
        IReadOnlyDictionary<string, string> environment;
        var mode = Environment.GetEnvironmentVariable(ModeVariable);
        if (mode == "moto")
        {
            _moto = await MotoServer.StartAsync();
            environment = _moto.EnvironmentVariables;
        }
        else if (mode == "localstack")
        {
            _localStack = new LocalStackBuilder("localstack/localstack:4.14.0").Build();
            await _localStack.StartAsync();
            var endpoint = new Uri(_localStack.GetConnectionString());
            environment = EmbeddedEmulators.ForEndpoints(endpoint, endpoint);
        }
        else
        {
            _embedded = await EmbeddedEmulators.StartAsync();
            environment = _embedded.EnvironmentVariables;
        }

        // The SDK resolves region, credentials and endpoints from the environment, as the services do.
        foreach (var (name, value) in environment)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        DynamoDb = new AmazonDynamoDBClient();
        Sqs = new AmazonSQSClient();
        S3 = AwsClientFactory.CreateS3();
        Sns = new AmazonSimpleNotificationServiceClient();
        Streams = new AmazonDynamoDBStreamsClient();
        Resources = await NewProvisioner().ProvisionAsync(Definition, CancellationToken.None);
    }

    public LocalProvisioner NewProvisioner() => new(DynamoDb, Sqs, S3, Sns, NullLogger<LocalProvisioner>.Instance);

    public async Task DisposeAsync()
    {
        DynamoDb?.Dispose();
        Sqs?.Dispose();
        S3?.Dispose();
        Sns?.Dispose();
        Streams?.Dispose();
        if (_embedded is not null)
        {
            await _embedded.DisposeAsync();
        }

        if (_localStack is not null)
        {
            await _localStack.DisposeAsync();
        }

        if (_moto is not null)
        {
            await _moto.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class AwsEmulatorsCollection : ICollectionFixture<AwsEmulatorsFixture>
{
    public const string Name = "AWS emulators";
}
