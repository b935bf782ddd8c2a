using PubSub.Aws;
using PubSub.Aws.SimpleNotificationService;
using PubSub.Functions;
using PubSub.Routing;
using PubSub.StreamPublisher.Core;

namespace PubSub.StreamPublisher.Lambda;

/// <summary>The stream publisher wired by hand: no container, no reflection, nothing it does not use.</summary>
public static class StreamPublisherFunctionFactory
{
    public const string Handler = "stream-publisher";

    public static StreamPublisherFunction Create(FunctionSettings settings, ILoggerFactory loggers, TimeProvider time)
    {
        var definition = settings.Definition;
        var sns = new AmazonSimpleNotificationServiceClient();
        var publisherSettings = new PublisherSettings(settings.Region, definition.DeadLetterQueues.Publish, settings.PublishDeadLetterQueueUrl,
            ReplicaRegions: settings.ReplicaRegions);
        var metrics = new StreamPublisherMetrics(LambdaMeterFactory.Instance);
        var processor = new StreamBatchProcessor(
            new EventRouter(definition),
            new TopicPublisher(sns, new TopicDirectory(sns, settings.TopicArns), publisherSettings, metrics, time),
            new PublishDeadLetterQueue(AwsClientFactory.CreateSqs(), publisherSettings, metrics, time, loggers.CreateLogger<PublishDeadLetterQueue>()),
            new S3EventArchive(AwsClientFactory.CreateS3(), definition.Events.ArchiveBucket),
            publisherSettings, metrics, time, loggers.CreateLogger<StreamBatchProcessor>());
        return new StreamPublisherFunction(processor);
    }
}
