using PubSub.Ingestion.Core.Alerts;
using PubSub.Ingestion.Core.Storage;

namespace PubSub.Ingestion.Core;

/// <summary>The ingestion function's core, composed in one place for both adapters (the local host's
/// container and the Lambda function's factory): the ingestor, and the alert publisher whose queue the
/// adapter empties (in the background locally, before each answer in Lambda).</summary>
public sealed record IngestionCore(EventIngestor Ingestor, AlertPublisher Alerts)
{
    public static IngestionCore Create(IngestionCoreOptions options)
    {
        var definition = options.Settings.Current.Definition;
        var time = options.Time;
        var storeSettings = new EventStoreSettings(definition.Events.Table, TimeSpan.FromDays(definition.Events.RetentionDays), options.Region);
        var deadLetters = new SqsIngestionDeadLetterQueue(options.Sqs,
            new IngestionDeadLetterSettings(definition.DeadLetterQueues.Ingestion, options.DeadLetterQueueUrl), storeSettings, time);
        var alerts = new AlertPublisher(options.CreateAlertsTopic(), options.Settings, options.Loggers.CreateLogger<AlertPublisher>());
        var ingestor = new EventIngestor(new DynamoDbEventStore(options.DynamoDb, storeSettings, time), deadLetters, options.Settings,
            storeSettings, alerts, new IngestionMetrics(options.Meters), time, options.Loggers.CreateLogger<EventIngestor>());
        return new IngestionCore(ingestor, alerts);
    }
}
