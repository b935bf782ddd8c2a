using System.Diagnostics.Metrics;
using Amazon.SQS;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using PubSub.Aws;
using PubSub.Aws.DynamoDB;
using Amazon.SimpleNotificationService;
using PubSub.Ingestion.Authentication;
using PubSub.Ingestion.Core;
using PubSub.Ingestion.Core.Parsing;
using PubSub.Ingestion.Hosting;
using PubSub.Ingestion.Local;

namespace PubSub.Ingestion.Extensions;

internal static class Extensions
{
    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        builder.AddSystemDefinition();
        builder.Services.AddProblemDetails();
        builder.Services.AddAwsClients();
        builder.Services.AddSingleton(TimeProvider.System);

        // The core, composed as the Lambda function composes it; the AWS clients come from the container
        // (tests put an unreachable endpoint there).
        builder.Services.AddSingleton<IDynamoDbConditionalWriter>(_ => new DynamoDbConditionalWriter());
        builder.Services.AddSingleton(sp => IngestionCore.Create(new IngestionCoreOptions
        {
            Settings = sp.GetRequiredService<IIngestionSettingsSource>(),
            Region = builder.DeploymentRegion(),
            DeadLetterQueueUrl = builder.Configuration["DeadLetterQueues:Ingestion:Url"],
            TopicArns = builder.ConfiguredTopicArns(),
            DynamoDb = sp.GetRequiredService<IDynamoDbConditionalWriter>(),
            Sqs = sp.GetRequiredService<IAmazonSQS>(),
            Sns = sp.GetRequiredService<IAmazonSimpleNotificationService>(),
            Meters = sp.GetRequiredService<IMeterFactory>(),
            Loggers = sp.GetRequiredService<ILoggerFactory>(),
            Time = sp.GetRequiredService<TimeProvider>(),
        }));
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IngestionCore>().Ingestor);
        builder.Services.AddSingleton(sp => sp.GetRequiredService<IngestionCore>().Alerts);

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
