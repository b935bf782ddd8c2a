using System.Collections.Frozen;
using PubSub.Definition;
using PubSub.Events;

namespace PubSub.Functions;

/// <summary>What a function reads from its environment. CloudFormation sets each variable from the
/// stack's resources; the system definition ships in the zip next to <c>bootstrap</c>.</summary>
public sealed record FunctionSettings
{
    public const string DefinitionVariable = "PUBSUB_DEFINITION";
    public const string EventsTableVariable = "PUBSUB_EVENTS_TABLE";
    public const string ArchiveBucketVariable = "PUBSUB_ARCHIVE_BUCKET";
    public const string IngestionDeadLetterQueueUrlVariable = "PUBSUB_INGESTION_DLQ_URL";
    public const string PublishDeadLetterQueueUrlVariable = "PUBSUB_PUBLISH_DLQ_URL";
    public const string TopicArnPrefixVariable = "PUBSUB_TOPIC_ARN_PREFIX";
    public const string ApiKeyPublishersVariable = "PUBSUB_API_KEYS";
    public const string LogLevelVariable = "PUBSUB_LOG_LEVEL";
    public const string FingerprintKeyVariable = "PUBSUB_FINGERPRINT_KEY";
    public const string ApiIdVariable = "PUBSUB_API_ID";
    public const string ApiStageVariable = "PUBSUB_API_STAGE";
    public const string AccountIdVariable = "PUBSUB_ACCOUNT_ID";
    public const string ReplicaRegionsVariable = "PUBSUB_REPLICA_REGIONS";

    public required SystemDefinition Definition { get; init; }

    /// <summary>The AWS region the function runs in (<see cref="DeploymentRegion"/>: <c>AWS_REGION</c>, which Lambda always sets).</summary>
    public required string Region { get; init; }

    /// <summary>The other regions of the events global table (<c>PUBSUB_REPLICA_REGIONS</c>, comma-separated):
    /// the stream publisher skips their events; an event from a region neither this one nor listed is dead-lettered.</summary>
    public IReadOnlyList<string> ReplicaRegions { get; init; } = [];

    public string? IngestionDeadLetterQueueUrl { get; init; }
    public string? PublishDeadLetterQueueUrl { get; init; }

    /// <summary>ARNs of the definition's topics, when the stack passed their common prefix.</summary>
    public IReadOnlyDictionary<string, string> TopicArns { get; init; } = FrozenDictionary<string, string>.Empty;

    /// <summary>API Gateway API key ids (<c>requestContext.identity.apiKeyId</c>) to publisher names.</summary>
    public IReadOnlyDictionary<string, string> PublishersByApiKeyId { get; init; } = FrozenDictionary<string, string>.Empty;

    /// <summary>The REST API, stage and account whose invocations the ingestion function answers.</summary>
    public string? ApiId { get; init; }
    public string? ApiStage { get; init; }
    public string? AccountId { get; init; }

    public LogLevel LogLevel { get; init; } = LogLevel.Information;

    /// <summary>The secret that keys stored event fingerprints (ingestion refuses to start without it).</summary>
    public string? FingerprintKey { get; init; }

    /// <summary>Reads the settings; <paramref name="variable"/> is <see cref="Environment.GetEnvironmentVariable(string)"/> in Lambda.</summary>
    /// <exception cref="SystemDefinitionException">The definition is missing or invalid.</exception>
    /// <exception cref="FormatException">A variable has the wrong shape.</exception>
    /// <exception cref="InvalidOperationException">No region is set.</exception>
    public static FunctionSettings FromEnvironment(Func<string, string?> variable)
    {
        var root = variable("LAMBDA_TASK_ROOT") ?? AppContext.BaseDirectory;
        var path = variable(DefinitionVariable) is { Length: > 0 } configured
            ? Path.Combine(root, configured)
            : Path.Combine(root, SystemDefinitionLoader.DefaultFileName);
        var definition = SystemDefinitionLoader.Load(path);

        // Names the stack chose (a bucket name is global, so the stack makes it unique) win over the definition's.
        if (variable(EventsTableVariable) is { Length: > 0 } table)
        {
            definition = definition with { Events = definition.Events with { Table = table } };
        }

        if (variable(ArchiveBucketVariable) is { Length: > 0 } bucket)
        {
            definition = definition with { Events = definition.Events with { ArchiveBucket = bucket } };
        }

        var prefix = variable(TopicArnPrefixVariable);
        return new FunctionSettings
        {
            Definition = definition,
            Region = DeploymentRegion.FromEnvironment(variable),
            ReplicaRegions = (variable(ReplicaRegionsVariable) ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries),
            IngestionDeadLetterQueueUrl = NullIfEmpty(variable(IngestionDeadLetterQueueUrlVariable)),
            PublishDeadLetterQueueUrl = NullIfEmpty(variable(PublishDeadLetterQueueUrlVariable)),
            TopicArns = prefix is { Length: > 0 }
                ? definition.Topics.ToFrozenDictionary(t => t.Name, t => prefix + t.Name, StringComparer.Ordinal)
                : FrozenDictionary<string, string>.Empty,
            PublishersByApiKeyId = ParseApiKeys(variable(ApiKeyPublishersVariable)),
            ApiId = NullIfEmpty(variable(ApiIdVariable)),
            ApiStage = NullIfEmpty(variable(ApiStageVariable)),
            AccountId = NullIfEmpty(variable(AccountIdVariable)),
            LogLevel = LogLevelFrom(variable),
            FingerprintKey = NullIfEmpty(variable(FingerprintKeyVariable)),
        };
    }

    /// <summary><c>PUBSUB_LOG_LEVEL</c> (any case), <c>Information</c> when unset or unknown. The host needs it
    /// before the settings exist: its logger reports a failure to read them.</summary>
    public static LogLevel LogLevelFrom(Func<string, string?> variable) =>
        Enum.TryParse<LogLevel>(variable(LogLevelVariable), ignoreCase: true, out var level) ? level : LogLevel.Information;

    /// <summary>Reads <c>keyId=publisher,keyId=publisher</c>, the form CloudFormation's Fn::Join builds.</summary>
    internal static FrozenDictionary<string, string> ParseApiKeys(string? value)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in (value ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0 || equals == pair.Length - 1)
            {
                throw new FormatException($"{ApiKeyPublishersVariable} must be keyId=publisher pairs separated by commas; '{pair}' is not one.");
            }

            map[pair[..equals]] = pair[(equals + 1)..];
        }

        return map.ToFrozenDictionary(StringComparer.Ordinal);
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
