using Amazon.S3;
using PubSub.Aws;
using PubSub.Aws.SimpleNotificationService;
using PubSub.Routing;
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
        builder.Services.AddSingleton(new EventRouter(definition));

        // Configured ARNs and URLs win (CloudFormation passes them); otherwise they are looked up by name.
        builder.Services.AddSingleton(sp => new TopicDirectory(sp.GetRequiredService<IAmazonSimpleNotificationService>(),
            builder.Configuration.GetSection("Topics").GetChildren()
                .Where(t => t["Arn"] is { Length: > 0 })
                .ToDictionary(t => t.Key, t => t["Arn"]!)));
        builder.Services.AddSingleton(new PublisherSettings(
            Region: builder.DeploymentRegion(),
            PublishDeadLetterQueue: definition.DeadLetterQueues.Publish,
            PublishDeadLetterQueueUrl: builder.Configuration["DeadLetterQueues:Publish:Url"],
            ReplicaRegions: PublisherSettings.RegionsFrom(builder.Configuration[DeploymentRegionExtensions.ReplicaRegionsKey])));

        builder.Services.AddSingleton<StreamPublisherMetrics>();
        builder.Services.AddSingleton<TopicPublisher>();
        builder.Services.AddSingleton<IPublishDeadLetterQueue, PublishDeadLetterQueue>();
        builder.Services.AddSingleton<IEventArchive>(sp => new S3EventArchive(sp.GetRequiredService<IAmazonS3>(), definition.Events.ArchiveBucket));
        builder.Services.AddSingleton<StreamBatchProcessor>();

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
