using PubSub.Aws;
using PubSub.Aws.DynamoDB;
using PubSub.Aws.SimpleNotificationService;
using PubSub.Functions;
using PubSub.Ingestion.Core;
using PubSub.Ingestion.Core.Alerts;
using PubSub.Ingestion.Core.Storage;

namespace PubSub.Ingestion.Lambda;

/// <summary>The ingestion function wired by hand: no container, no reflection, nothing it does not use.</summary>
public static class IngestionFunctionFactory
{
    public const string Handler = "ingestion";

    public static IngestionFunction Create(FunctionSettings settings, ILoggerFactory loggers, TimeProvider time)
    {
        var definition = settings.Definition;
        var sns = new AmazonSimpleNotificationServiceClient();
        var ingestionSettings = new FixedIngestionSettings(new IngestionSettings(definition,
            FingerprintKey.From(settings.FingerprintKey, development: false)));
        var storeSettings = new EventStoreSettings(definition.Events.Table, TimeSpan.FromDays(definition.Events.RetentionDays), settings.Region);
        var store = new DynamoDbEventStore(new DynamoDbConditionalWriter(), storeSettings, time);
        var deadLetters = new SqsIngestionDeadLetterQueue(AwsClientFactory.CreateSqs(),
            new IngestionDeadLetterSettings(definition.DeadLetterQueues.Ingestion, settings.IngestionDeadLetterQueueUrl), storeSettings, time);
        var alerts = new AlertPublisher(sns, new TopicDirectory(sns, settings.TopicArns), ingestionSettings, loggers.CreateLogger<AlertPublisher>());
        var ingestor = new EventIngestor(store, deadLetters, ingestionSettings, storeSettings, alerts,
            new IngestionMetrics(LambdaMeterFactory.Instance), time, loggers.CreateLogger<EventIngestor>());
        return new IngestionFunction(ingestor, alerts, ingestionSettings, settings.PublishersByApiKeyId, TrustedApiOf(settings),
            loggers.CreateLogger<IngestionFunction>());
    }

    /// <exception cref="InvalidOperationException">The stack did not say which API may invoke the function:
    /// it fails at init rather than trust every invoker.</exception>
    public static TrustedApi TrustedApiOf(FunctionSettings settings) =>
        settings is { ApiId: { } id, ApiStage: { } stage, AccountId: { } account }
            ? new TrustedApi(id, stage, account)
            : throw new InvalidOperationException(
                $"{FunctionSettings.ApiIdVariable}, {FunctionSettings.ApiStageVariable} and {FunctionSettings.AccountIdVariable} must be set: " +
                "the function answers only requests that came through its own API.");
}
