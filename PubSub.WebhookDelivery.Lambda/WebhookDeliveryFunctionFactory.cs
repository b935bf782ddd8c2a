using Amazon.SimpleNotificationService;
using Amazon.SimpleSystemsManagement;
using PubSub.Aws;
using PubSub.Functions;
using PubSub.Webhooks.Worker;

namespace PubSub.WebhookDelivery.Lambda;

/// <summary>The webhook delivery function wired by hand: no container, no reflection, nothing it does not use. The
/// tables' names come from the definition (<see cref="PubSub.Definition.WebhookNames"/>, on the events table the
/// stack names), the alerts topic's ARN from the topic ARN prefix, the secrets from SSM.</summary>
public static class WebhookDeliveryFunctionFactory
{
    public const string Handler = "webhook-delivery";

    public static WebhookDeliveryFunction Create(FunctionSettings settings, ILoggerFactory loggers, TimeProvider time) =>
        Create(settings, new SsmWebhookSecretSource(new AmazonSimpleSystemsManagementClient(), settings.Definition, time), loggers, time);

    /// <summary>With another secret source and, for tests only, local receivers allowed (SSM has no emulator here,
    /// and a test's receiver is an http://localhost one). The deployed function always refuses local receivers.</summary>
    internal static WebhookDeliveryFunction Create(FunctionSettings settings, IWebhookSecretSource secrets, ILoggerFactory loggers, TimeProvider time,
        bool localMode = false)
    {
        var deliverer = WebhookDeliveryCore.Create(new WebhookDeliveryCoreOptions
        {
            Definition = settings.Definition,
            Region = settings.Region,
            TopicArns = settings.TopicArns,
            DynamoDb = AwsClientFactory.CreateDynamoDb(),
            Secrets = secrets,
            LocalMode = localMode,
            Sns = new AmazonSimpleNotificationServiceClient(),
            Sqs = AwsClientFactory.CreateSqs(),
            Meters = LambdaMeterFactory.Instance,
            Loggers = loggers,
            Time = time,
        });
        return new WebhookDeliveryFunction(deliverer.DeliverAsync, new WebhookQueueDirectory(settings.Definition), loggers.CreateLogger<WebhookDeliveryFunction>(), time);
    }
}
