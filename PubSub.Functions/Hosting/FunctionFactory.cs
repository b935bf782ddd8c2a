using System.Diagnostics.Metrics;
using Amazon.SQS;
using PubSub.Aws;
using PubSub.Aws.DynamoDB;
using PubSub.Aws.SimpleNotificationService;
using PubSub.Functions.Ingestion;
using PubSub.Functions.Streams;
using PubSub.Ingestion.Core;
using PubSub.Ingestion.Core.Alerts;
using PubSub.Ingestion.Core.Storage;
using PubSub.LambdaRuntime;
using PubSub.Routing;
using PubSub.StreamPublisher.Core;

namespace PubSub.Functions.Hosting;

/// <summary>Builds the handler a Lambda function's <c>Handler</c> setting names, wired by hand: no
/// container, no reflection, and nothing created that the handler does not use.</summary>
public static class FunctionFactory
{
    public const string Ingestion = "ingestion";
    public const string StreamPublisher = "stream-publisher";

    /// <exception cref="ArgumentException">The handler name is neither of the two.</exception>
    public static ILambdaHandler Create(string? handler, FunctionSettings settings, ILoggerFactory loggers, TimeProvider time) =>
        handler switch
        {
            Ingestion => CreateIngestion(settings, loggers, time),
            StreamPublisher => CreateStreamPublisher(settings, loggers, time),
            _ => throw new ArgumentException(
                $"The function's Handler is '{handler}'; it must be '{Ingestion}' or '{StreamPublisher}'.", nameof(handler)),
        };

    private static IngestionFunction CreateIngestion(FunctionSettings settings, ILoggerFactory loggers, TimeProvider time)
    {
        var definition = settings.Definition;
        var sns = new AmazonSimpleNotificationServiceClient();
        var ingestionSettings = new FixedIngestionSettings(new IngestionSettings(definition));
        var storeSettings = new EventStoreSettings(definition.Events.Table, TimeSpan.FromDays(definition.Events.RetentionDays), settings.Region);
        var store = new DynamoDbEventStore(new DynamoDbConditionalWriter(), storeSettings);
        var deadLetters = new SqsIngestionDeadLetterQueue(new AmazonSQSClient(),
            new IngestionDeadLetterSettings(definition.DeadLetterQueues.Ingestion, settings.IngestionDeadLetterQueueUrl), storeSettings, time);
        var alerts = new AlertPublisher(sns, new TopicDirectory(sns, settings.TopicArns), ingestionSettings, loggers.CreateLogger<AlertPublisher>());
        var ingestor = new EventIngestor(store, deadLetters, ingestionSettings, storeSettings, alerts,
            new IngestionMetrics(LambdaMeterFactory.Instance), time, loggers.CreateLogger<EventIngestor>());
        return new IngestionFunction(ingestor, alerts, ingestionSettings, settings.PublishersByApiKeyId, loggers.CreateLogger<IngestionFunction>());
    }

    private static StreamPublisherFunction CreateStreamPublisher(FunctionSettings settings, ILoggerFactory loggers, TimeProvider time)
    {
        var definition = settings.Definition;
        var sns = new AmazonSimpleNotificationServiceClient();
        var publisherSettings = new PublisherSettings(settings.Region, definition.DeadLetterQueues.Publish, settings.PublishDeadLetterQueueUrl);
        var metrics = new StreamPublisherMetrics(LambdaMeterFactory.Instance);
        var processor = new StreamBatchProcessor(
            new EventRouter(definition),
            new TopicPublisher(sns, new TopicDirectory(sns, settings.TopicArns), publisherSettings, metrics, time),
            new PublishDeadLetterQueue(new AmazonSQSClient(), publisherSettings, metrics, time, loggers.CreateLogger<PublishDeadLetterQueue>()),
            new S3EventArchive(AwsClientFactory.CreateS3(), definition.Events.ArchiveBucket),
            publisherSettings, metrics, time, loggers.CreateLogger<StreamBatchProcessor>());
        return new StreamPublisherFunction(processor);
    }

    /// <summary>Meters without a host: the instruments exist (so the cores need no second path), and
    /// nothing listens in Lambda, where CloudWatch takes logs, not OpenTelemetry.</summary>
    private sealed class LambdaMeterFactory : IMeterFactory
    {
        public static readonly LambdaMeterFactory Instance = new();

        public Meter Create(MeterOptions options) => new(options);

        public void Dispose()
        {
        }
    }
}
