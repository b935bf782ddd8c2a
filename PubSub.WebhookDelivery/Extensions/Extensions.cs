using System.Diagnostics.Metrics;
using Amazon.DynamoDBv2;
using Amazon.SQS;
using Amazon.SimpleNotificationService;
using PubSub.Aws;
using PubSub.WebhookDelivery.Local;
using PubSub.Webhooks.Worker;

namespace PubSub.WebhookDelivery.Extensions;

internal static class Extensions
{
    /// <summary>The file of the subscriptions' signing secrets (the AppHost gives the webhook demo the same one);
    /// <see cref="LocalWebhookSecretSource.DefaultPath"/> when unset.</summary>
    public const string SecretsFileKey = "Webhooks:SecretsFile";

    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        var definition = builder.AddSystemDefinition();
        builder.Services.AddAwsClients();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp => new LocalWebhookSecretSource(
            builder.Configuration[SecretsFileKey] ?? LocalWebhookSecretSource.DefaultPath(definition), sp.GetRequiredService<TimeProvider>()));

        // The core, composed as the Lambda function composes it, but for local runs: http://localhost receivers
        // allowed, secrets from the local file. The tables and alerts topic come from the definition at start.
        builder.Services.AddSingleton(sp => WebhookDeliveryCore.Create(new WebhookDeliveryCoreOptions
        {
            Definition = definition,
            Region = builder.DeploymentRegion(),
            TopicArns = builder.ConfiguredTopicArns(),
            DynamoDb = sp.GetRequiredService<IAmazonDynamoDB>(),
            Secrets = sp.GetRequiredService<LocalWebhookSecretSource>(),
            LocalMode = true,
            Sns = sp.GetRequiredService<IAmazonSimpleNotificationService>(),
            Sqs = sp.GetRequiredService<IAmazonSQS>(),
            Meters = sp.GetRequiredService<IMeterFactory>(),
            Loggers = sp.GetRequiredService<ILoggerFactory>(),
            Time = sp.GetRequiredService<TimeProvider>(),
        }));

        // The local adapter: queue readers in place of Lambda's event source mappings.
        builder.Services.AddSingleton<WebhookReadersHealth>();
        builder.Services.AddHostedService<WebhookReaders>();
        builder.Services.Configure<HostOptions>(o => o.BackgroundServiceExceptionBehavior = BackgroundServiceExceptionBehavior.StopHost);
        builder.Services.AddHealthChecks().AddCheck<WebhookReadersHealth>("webhooks");
    }
}
