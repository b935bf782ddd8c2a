using Amazon.DynamoDBv2;
using Amazon.SQS;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using PubSub.Aws.DynamoDB;
using PubSub.Ingestion.Authentication;

namespace PubSub.IntegrationTests.Ingestion;

/// <summary>The ingestion service's real HTTP pipeline in process, against the emulators the process
/// environment points at, with a definition of its own (a copy of the repository's plus test
/// publishers) so that tests can edit it. DynamoDB or SQS can be replaced by an endpoint that refuses.</summary>
internal sealed class IngestionHostFactory : WebApplicationFactory<PublisherAccess>
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pubsub-it-").FullName;

    public IngestionHostFactory(string? dynamoDbEndpoint = null, string? sqsEndpoint = null,
        IReadOnlyDictionary<string, string>? settings = null, string? environment = null)
    {
        DynamoDbEndpoint = dynamoDbEndpoint;
        SqsEndpoint = sqsEndpoint;
        Settings = settings ?? new Dictionary<string, string>();
        Environment = environment;
        DefinitionPath = Path.Combine(_folder, "pubsub.json");
        var definition = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "pubsub.json"));
        File.WriteAllText(DefinitionPath, definition.Replace("\"publishers\": [", """
            "publishers": [
                { "name": "tight", "plan": { "rateLimit": 1, "burstLimit": 2 } },
                { "name": "quota", "plan": { "rateLimit": 100, "burstLimit": 100, "quota": { "limit": 2, "period": "month" } } },
                { "name": "off", "enabled": false },
            """, StringComparison.Ordinal));
    }

    public string DefinitionPath { get; }

    private string? DynamoDbEndpoint { get; }

    private string? SqsEndpoint { get; }

    private IReadOnlyDictionary<string, string> Settings { get; }

    /// <summary>The host's environment; WebApplicationFactory's default is Development.</summary>
    private string? Environment { get; }

    public static string KeyOf(string publisher) => $"it-{publisher}-key";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("PubSub:Definition", DefinitionPath);
        foreach (var (name, value) in Settings)
        {
            builder.UseSetting(name, value);
        }

        if (Environment is not null)
        {
            builder.UseEnvironment(Environment);
        }
        foreach (var publisher in new[] { "demo", "acme", "tight", "quota", "off" })
        {
            builder.UseSetting($"Publishers:{publisher}:ApiKey", KeyOf(publisher));
        }

        builder.ConfigureTestServices(services =>
        {
            if (DynamoDbEndpoint is not null)
            {
                services.AddSingleton<IDynamoDbConditionalWriter>(new DynamoDbConditionalWriter(new AmazonDynamoDBConfig { ServiceURL = DynamoDbEndpoint, MaxErrorRetry = 1 }));
            }

            if (SqsEndpoint is not null)
            {
                services.AddSingleton<IAmazonSQS>(new AmazonSQSClient(new AmazonSQSConfig { ServiceURL = SqsEndpoint, MaxErrorRetry = 1 }));
            }
        });
    }

    protected override void Dispose(bool disposing)
    {
        base.Dispose(disposing);
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // a watcher may still hold it for a moment; the temp folder is cleaned by the OS eventually
        }
    }
}
