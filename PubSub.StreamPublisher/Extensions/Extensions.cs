using System.Diagnostics.Metrics;
using Amazon.S3;
using Amazon.SQS;
using PubSub.Aws;
using Amazon.SimpleNotificationService;
using PubSub.StreamPublisher.Core;
using PubSub.StreamPublisher.Local;

namespace PubSub.StreamPublisher.Extensions;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        var definition = builder.AddSystemDefinition();
        builder.Services.AddAwsClients();
        builder.Services.AddSingleton(TimeProvider.System);

        // The core, composed as the Lambda function composes it; the AWS clients come from the container.
        // Configured ARNs and URLs win (CloudFormation passes them); otherwise they are looked up by name.
        builder.Services.AddSingleton(sp => StreamPublisherCore.Create(new StreamPublisherCoreOptions
        {
            Definition = definition,
            Region = builder.DeploymentRegion(),
            ReplicaRegions = PublisherSettings.RegionsFrom(builder.Configuration[DeploymentRegionExtensions.ReplicaRegionsKey]),
            DeadLetterQueueUrl = builder.Configuration["DeadLetterQueues:Publish:Url"],
            TopicArns = builder.ConfiguredTopicArns(),
            Sns = sp.GetRequiredService<IAmazonSimpleNotificationService>(),
            Sqs = sp.GetRequiredService<IAmazonSQS>(),
            S3 = sp.GetRequiredService<IAmazonS3>(),
            Meters = sp.GetRequiredService<IMeterFactory>(),
            Loggers = sp.GetRequiredService<ILoggerFactory>(),
            Time = sp.GetRequiredService<TimeProvider>(),
        }));

        // The local adapter: a stream poller in place of Lambda's event source mapping.
        builder.Services.AddSingleton(new StreamPollerOptions(BatchSize: StreamPollerOptions.BatchSizeFrom(builder.Configuration["StreamPoller:BatchSize"])));
        builder.Services.AddSingleton<IShardCheckpoints>(sp => new DynamoDbShardCheckpoints(
            sp.GetRequiredService<Amazon.DynamoDBv2.IAmazonDynamoDB>(),
            builder.Configuration["StreamPoller:CheckpointTable"] ?? $"{definition.Events.Table}-checkpoints",
            sp.GetRequiredService<ILogger<DynamoDbShardCheckpoints>>()));
        builder.Services.AddSingleton<StreamPollerHealth>();
        builder.Services.AddHostedService<StreamPoller>();

        // The poller never ends on its own (every failure is logged and retried); should it end anyway, the
        // host stops rather than run on without it, unhealthy and delivering nothing, unnoticed.
        builder.Services.Configure<HostOptions>(o => o.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.StopHost);
        builder.Services.AddHostedService<DeadLetterDepthMonitor>();
        builder.Services.AddHealthChecks().AddCheck<StreamPollerHealth>("stream");
    }
}
