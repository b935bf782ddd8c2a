using Amazon.DynamoDBv2;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using PubSub.Ingestion.Apis;

namespace PubSub.IntegrationTests.Ingestion;

/// <summary>The ingestion service's real HTTP pipeline in process, against the emulators the
/// process environment points at; optionally with DynamoDB replaced by an endpoint that refuses.</summary>
internal sealed class IngestionHostFactory(string? dynamoDbEndpoint = null) : WebApplicationFactory<EventAcceptedResponse>
{
    public const string ApiKey = "it-demo-key";

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("PubSub:Definition", Path.Combine(AppContext.BaseDirectory, "pubsub.json"));
        builder.UseSetting("Publishers:demo:ApiKey", ApiKey);
        if (dynamoDbEndpoint is not null)
        {
            builder.ConfigureTestServices(services => services.AddSingleton<IAmazonDynamoDB>(
                new AmazonDynamoDBClient(new AmazonDynamoDBConfig { ServiceURL = dynamoDbEndpoint, MaxErrorRetry = 1 })));
        }
    }
}
