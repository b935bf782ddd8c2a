using PubSub.Aws.SimpleNotificationService;
using PubSub.Routing;

namespace PubSub.StreamPublisher.Core;

/// <summary>The stream publisher's core, composed in one place for both adapters (the local host's
/// container and the Lambda function's factory).</summary>
public static class StreamPublisherCore
{
    public static StreamBatchProcessor Create(StreamPublisherCoreOptions options)
    {
        var definition = options.Definition;
        var time = options.Time;
        var settings = new PublisherSettings(options.Region, definition.DeadLetterQueues.Publish, options.DeadLetterQueueUrl,
            ReplicaRegions: options.ReplicaRegions);
        var metrics = new StreamPublisherMetrics(options.Meters);
        return new StreamBatchProcessor(
            new EventRouter(definition),
            new TopicPublisher(options.Sns, new TopicDirectory(options.Sns, options.TopicArns), settings, metrics, time),
            new PublishDeadLetterQueue(options.Sqs, settings, metrics, time, options.Loggers.CreateLogger<PublishDeadLetterQueue>()),
            new S3EventArchive(options.S3, definition.Events.ArchiveBucket, time),
            settings, metrics, time, options.Loggers.CreateLogger<StreamBatchProcessor>());
    }
}
