using Amazon.DynamoDBStreams;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.SimpleNotificationService;
using Amazon.SimpleSystemsManagement;
using Amazon.SQS;
using Microsoft.Extensions.Logging.Abstractions;
using PubSub.Definition;
using PubSub.Emulators;
using PubSub.Provisioning;

namespace PubSub.IntegrationTests.Infrastructure;

/// <summary>moto_server, started once per test run on a free port and provisioned from the repository's
/// definition: the second, independent backend the AWS client tests also run against. The clients point at it
/// explicitly, because the test process's environment points at the default emulators.</summary>
public sealed class MotoFixture : IAwsBackend, IAsyncLifetime
{
    private MotoServer? _server;

    /// <summary>Why the moto tests cannot run here, or null when they run. moto_server comes from pip
    /// (<c>pip install 'moto[server]'</c>), not from our registries, so a developer without it is told and
    /// the tests are skipped; under CI (<c>.ci/run</c> sets CI) the machine image has it, and a missing one
    /// is a failure, as for cfn-lint and the docs test's tools.</summary>
    public static string? SkipReason { get; } = MotoServer.Locate() is null && Environment.GetEnvironmentVariable("CI") is null or ""
        ? $"{MotoServer.ExecutableName} is not on PATH (pip install 'moto[server]'): the run against moto was skipped"
        : null;

    public SystemDefinition Definition { get; } = SystemDefinitionLoader.Load(Path.Combine(AppContext.BaseDirectory, "pubsub.json"));

    public ProvisionedResources Resources { get; private set; } = null!;

    public IAmazonDynamoDB DynamoDb { get; private set; } = null!;

    public IAmazonSQS Sqs { get; private set; } = null!;

    public IAmazonS3 S3 { get; private set; } = null!;

    public AmazonSimpleNotificationServiceClient Sns { get; private set; } = null!;

    public AmazonDynamoDBStreamsClient Streams { get; private set; } = null!;

    /// <summary>moto serves SSM Parameter Store too (the webhook secrets in AWS); the other emulators do not.</summary>
    public AmazonSimpleSystemsManagementClient Ssm { get; private set; } = null!;

    /// <summary>The variables that point a child process (the CLI) at moto for every service it calls.</summary>
    public IReadOnlyDictionary<string, string> EnvironmentVariables =>
        new Dictionary<string, string>(_server!.EnvironmentVariables) { ["AWS_ENDPOINT_URL"] = _server.Endpoint.ToString().TrimEnd('/') };

    public async Task InitializeAsync()
    {
        if (SkipReason is not null)
        {
            return; // every test of the collection is skipped with this reason
        }

        if (MotoServer.Locate() is null)
        {
            throw new InvalidOperationException(
                $"{MotoServer.ExecutableName} is not on PATH and CI is set: the CI machine image has it (pip's moto[server]), so the run against moto fails rather than skips.");
        }

        _server = await MotoServer.StartAsync();
        var endpoint = _server.Endpoint.ToString();
        var credentials = new BasicAWSCredentials("test", "test");
        DynamoDb = new AmazonDynamoDBClient(credentials, new AmazonDynamoDBConfig { ServiceURL = endpoint, AuthenticationRegion = EmbeddedEmulators.Region });
        Sqs = new AmazonSQSClient(credentials, new AmazonSQSConfig { ServiceURL = endpoint, AuthenticationRegion = EmbeddedEmulators.Region });
        S3 = new AmazonS3Client(credentials, new AmazonS3Config { ServiceURL = endpoint, ForcePathStyle = true, AuthenticationRegion = EmbeddedEmulators.Region });
        Sns = new AmazonSimpleNotificationServiceClient(new AmazonSimpleNotificationServiceConfig { ServiceURL = endpoint, AuthenticationRegion = EmbeddedEmulators.Region }, credentials);
        Streams = new AmazonDynamoDBStreamsClient(new AmazonDynamoDBStreamsConfig { ServiceURL = endpoint, AuthenticationRegion = EmbeddedEmulators.Region }, credentials);
        Ssm = new AmazonSimpleSystemsManagementClient(credentials, new AmazonSimpleSystemsManagementConfig { ServiceURL = endpoint, AuthenticationRegion = EmbeddedEmulators.Region });
        Resources = await new LocalProvisioner(DynamoDb, Sqs, S3, Sns, NullLogger<LocalProvisioner>.Instance).ProvisionAsync(Definition, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        DynamoDb?.Dispose();
        Sqs?.Dispose();
        S3?.Dispose();
        Sns?.Dispose();
        Streams?.Dispose();
        Ssm?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class MotoCollection : ICollectionFixture<MotoFixture>
{
    public const string Name = "moto";
}
