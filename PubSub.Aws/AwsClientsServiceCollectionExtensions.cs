using Amazon.DynamoDBv2;
using Amazon.S3;
using Amazon.SQS;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Amazon.DynamoDBStreams;
using Amazon.SimpleNotificationService;

namespace PubSub.Aws;

public static class AwsClientsServiceCollectionExtensions
{
    /// <summary>Registers the AWS clients this system uses, each configured from the environment
    /// (region, credentials, <c>AWS_ENDPOINT_URL</c> and the per-service endpoint variables), with
    /// the system's attempt timeout and retry count.</summary>
    public static IServiceCollection AddAwsClients(this IServiceCollection services)
    {
        services.TryAddSingleton<IAmazonDynamoDB>(_ => AwsClientFactory.CreateDynamoDb());
        services.TryAddSingleton<IAmazonSQS>(_ => AwsClientFactory.CreateSqs());
        services.TryAddSingleton<IAmazonS3>(_ => AwsClientFactory.CreateS3());
        services.TryAddSingleton<IAmazonSimpleNotificationService>(_ => new AmazonSimpleNotificationServiceClient());
        services.TryAddSingleton<IAmazonDynamoDBStreams>(_ => new AmazonDynamoDBStreamsClient());
        return services;
    }
}
