using PubSub.Aws;
using PubSub.Aws.DynamoDB;
using Amazon.SimpleNotificationService;
using PubSub.Functions;
using PubSub.Ingestion.Core;

namespace PubSub.Ingestion.Lambda;

/// <summary>The ingestion function wired by hand: no container, no reflection, nothing it does not use.</summary>
public static class IngestionFunctionFactory
{
    public const string Handler = "ingestion";

    public static IngestionFunction Create(FunctionSettings settings, ILoggerFactory loggers, TimeProvider time)
    {
        var core = IngestionCore.Create(new IngestionCoreOptions
        {
            Settings = new FixedIngestionSettings(new IngestionSettings(settings.Definition,
                FingerprintKey.From(settings.FingerprintKey, development: false))),
            Region = settings.Region,
            DeadLetterQueueUrl = settings.IngestionDeadLetterQueueUrl,
            TopicArns = settings.TopicArns,
            DynamoDb = new DynamoDbConditionalWriter(),
            Sqs = AwsClientFactory.CreateSqs(),
            Sns = new AmazonSimpleNotificationServiceClient(),
            Meters = LambdaMeterFactory.Instance,
            Loggers = loggers,
            Time = time,
        });
        return new IngestionFunction(core, settings.PublishersByApiKeyId, TrustedApiOf(settings), loggers.CreateLogger<IngestionFunction>());
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
