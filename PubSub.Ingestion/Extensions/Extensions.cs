using Amazon.DynamoDBv2;
using PubSub.Aws;
using PubSub.Definition;
using PubSub.Ingestion.Authentication;
using PubSub.Ingestion.Core;

namespace PubSub.Ingestion.Extensions;

internal static partial class Extensions
{
    /// <summary>The configuration section holding each publisher's API key: <c>Publishers:{name}:ApiKey</c>.</summary>
    public const string PublishersSection = "Publishers";

    public static void AddApplicationServices(this IHostApplicationBuilder builder)
    {
        var definition = builder.AddSystemDefinition();
        builder.Services.AddProblemDetails();
        builder.Services.AddAwsClients();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton(sp => new EventStoreSettings(
            definition.Events.Table,
            TimeSpan.FromDays(definition.Events.RetentionDays),
            sp.GetRequiredService<IAmazonDynamoDB>().Config.RegionEndpoint?.SystemName ?? "unknown"));
        builder.Services.AddSingleton<IEventStore, DynamoDbEventStore>();
        builder.Services.AddSingleton<IngestionMetrics>();
        builder.Services.AddSingleton<EventIngestor>();
        builder.Services.AddSingleton(sp => LoadPublisherKeys(definition, builder.Configuration,
            sp.GetRequiredService<ILogger<PublisherKeys>>()));
    }

    /// <summary>Each publisher of the definition whose key is configured. Key values live in
    /// configuration (user secrets, environment, AppHost parameters), never in the definition.</summary>
    private static PublisherKeys LoadPublisherKeys(SystemDefinition definition, IConfiguration configuration, ILogger logger)
    {
        var keys = new List<KeyValuePair<string, string>>();
        foreach (var publisher in definition.Publishers)
        {
            if (configuration[$"{PublishersSection}:{publisher.Name}:ApiKey"] is { Length: > 0 } key)
            {
                keys.Add(new(publisher.Name, key));
            }
            else
            {
                LogNoKey(logger, publisher.Name, PublishersSection);
            }
        }

        return new PublisherKeys(keys);
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Publisher {Publisher} has no API key configured ({Section}:{Publisher}:ApiKey); it cannot publish")]
    private static partial void LogNoKey(ILogger logger, string publisher, string section);
}
