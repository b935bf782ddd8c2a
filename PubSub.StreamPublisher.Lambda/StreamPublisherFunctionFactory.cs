using PubSub.Aws;
using Amazon.SimpleNotificationService;
using PubSub.Functions;
using PubSub.StreamPublisher.Core;

namespace PubSub.StreamPublisher.Lambda;

/// <summary>The stream publisher wired by hand: no container, no reflection, nothing it does not use.</summary>
public static class StreamPublisherFunctionFactory
{
    public const string Handler = "stream-publisher";

    public static StreamPublisherFunction Create(FunctionSettings settings, ILoggerFactory loggers, TimeProvider time) =>
        new(StreamPublisherCore.Create(new StreamPublisherCoreOptions
        {
            Definition = settings.Definition,
            Region = settings.Region,
            ReplicaRegions = settings.ReplicaRegions,
            DeadLetterQueueUrl = settings.PublishDeadLetterQueueUrl,
            TopicArns = settings.TopicArns,
            Sns = new AmazonSimpleNotificationServiceClient(),
            Sqs = AwsClientFactory.CreateSqs(),
            S3 = AwsClientFactory.CreateS3(),
            Meters = LambdaMeterFactory.Instance,
            Loggers = loggers,
            Time = time,
        }));
}
