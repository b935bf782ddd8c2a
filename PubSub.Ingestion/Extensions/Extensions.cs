using Amazon.SQS;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using PubSub.Aws;
using PubSub.Aws.DynamoDB;
using PubSub.Aws.SimpleNotificationService;
using PubSub.Ingestion.Authentication;
using PubSub.Ingestion.Core;
using PubSub.Ingestion.Core.Alerts;
using PubSub.Ingestion.Core.Parsing;
using PubSub.Ingestion.Core.Storage;
using PubSub.Ingestion.Hosting;
using PubSub.Ingestion.Local;

namespace PubSub.Ingestion.Extensions;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        var definition = builder.AddSystemDefinition();
        builder.Services.AddProblemDetails();
        builder.Services.AddAwsClients();
        builder.Services.AddSingleton(TimeProvider.System);

        // The core, as both adapters use it.
        builder.Services.AddSingleton(_ => new DynamoDbConditionalWriter());
        builder.Services.AddSingleton(sp => new EventStoreSettings(
            definition.Events.Table,
            TimeSpan.FromDays(definition.Events.RetentionDays),
            builder.DeploymentRegion()));
        builder.Services.AddSingleton<IEventStore, DynamoDbEventStore>();
        builder.Services.AddSingleton(new IngestionDeadLetterSettings(
            definition.DeadLetterQueues.Ingestion, builder.Configuration["DeadLetterQueues:Ingestion:Url"]));
        builder.Services.AddSingleton<IIngestionDeadLetterQueue>(sp => new SqsIngestionDeadLetterQueue(
            sp.GetRequiredService<IAmazonSQS>(), sp.GetRequiredService<IngestionDeadLetterSettings>(),
            sp.GetRequiredService<EventStoreSettings>(), sp.GetRequiredService<TimeProvider>()));
        builder.Services.AddSingleton<IngestionMetrics>();
        builder.Services.AddSingleton(sp => new TopicDirectory(sp.GetRequiredService<IAmazonSimpleNotificationService>(),
            builder.Configuration.GetSection("Topics").GetChildren()
                .Where(t => t["Arn"] is { Length: > 0 })
                .ToDictionary(t => t.Key, t => t["Arn"]!)));
        builder.Services.AddSingleton<AlertPublisher>();
        builder.Services.AddSingleton<IAlertSink>(sp => sp.GetRequiredService<AlertPublisher>());
        builder.Services.AddSingleton<EventIngestor>();

        // The local adapter: API keys and usage plans (API Gateway's job in AWS), a definition that
        // reloads when its file changes, and alerts published in the background.
        builder.Services.AddSingleton(FingerprintKey.From(builder.Configuration[FingerprintKey.Setting], builder.Environment.IsDevelopment()));
        builder.Services.AddSingleton<IIngestionSettingsSource, ReloadableIngestionSettings>();
        builder.Services.AddSingleton<UsageLimiter>();
        builder.Services.AddSingleton<PublisherAccess>();
        ApiKeyRules.Validate(builder.Configuration, builder.Environment);

        // What one publisher may hold of the host: memory (body size, read as it arrives), time, requests at once.
        var limits = HostLimits.From(builder.Configuration);
        builder.Services.AddSingleton(limits);
        builder.Services.AddSingleton<InFlightLimiter>();
        builder.Services.Configure<KestrelServerOptions>(kestrel =>
        {
            kestrel.Limits.MaxRequestBodySize = EventLimits.MaxBatchBytes;
            kestrel.Limits.RequestHeadersTimeout = limits.RequestHeadersTimeout;
            kestrel.Limits.MinRequestBodyDataRate = new MinDataRate(limits.MinRequestBodyBytesPerSecond, TimeSpan.FromSeconds(5));
        });
        builder.Services.AddHostedService<AlertPublisherService>();
    }
}
