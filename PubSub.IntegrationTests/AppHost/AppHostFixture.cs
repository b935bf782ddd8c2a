using Amazon.Runtime;
using Amazon.S3;
using Amazon.SQS;
using PubSub.IntegrationTests.Infrastructure;

namespace PubSub.IntegrationTests.AppHost;

/// <summary>The whole system as the developer runs it: the AppHost with its emulators (on random
/// ports), provisioner, ingestion and stream publisher as real processes.</summary>
public sealed class AppHostFixture : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(4);

    public DistributedApplication App { get; private set; } = null!;

    public HttpClient Ingestion { get; private set; } = null!;

    public AmazonSQSClient Sqs { get; private set; } = null!;

    public AmazonS3Client S3 { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var mode = Environment.GetEnvironmentVariable(AwsEmulatorsFixture.ModeVariable) == "localstack" ? "localstack" : "embedded";
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.PubSub_AppHost>([$"LocalAws:Mode={mode}"]);
        App = await builder.BuildAsync();

        using var timeout = new CancellationTokenSource(StartTimeout);
        await App.StartAsync(timeout.Token);
        await App.ResourceNotifications.WaitForResourceHealthyAsync("ingestion", timeout.Token);
        await App.ResourceNotifications.WaitForResourceHealthyAsync("stream-publisher", timeout.Token);

        Ingestion = App.CreateHttpClient("ingestion");
        var messaging = App.GetEndpoint(mode == "localstack" ? "localstack" : "fauxqs", "http");
        Sqs = new AmazonSQSClient(new BasicAWSCredentials("test", "test"),
            new AmazonSQSConfig { ServiceURL = messaging.ToString(), AuthenticationRegion = "us-east-1" });
        S3 = new AmazonS3Client(new BasicAWSCredentials("test", "test"),
            new AmazonS3Config { ServiceURL = messaging.ToString(), AuthenticationRegion = "us-east-1", ForcePathStyle = true });
    }

    public async Task<string> QueueUrlAsync(string queue) => (await Sqs.GetQueueUrlAsync(queue)).QueueUrl;

    public async Task DisposeAsync()
    {
        Ingestion?.Dispose();
        Sqs?.Dispose();
        S3?.Dispose();
        if (App is not null)
        {
            await App.DisposeAsync();
        }
    }
}
