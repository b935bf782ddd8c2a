using System.Text.Json;
using System.Text.Json.Serialization;

namespace PubSub.Definition;

/// <summary>The one description of the system (tables, queues, topics, routes, publishers,
/// subscriptions) that the local provisioner, the functions and the CloudFormation stack all derive from.</summary>
public sealed record SystemDefinition
{
    public required string Name { get; init; }
    public required EventStoreDefinition Events { get; init; }
    public required DeadLetterQueuesDefinition DeadLetterQueues { get; init; }
    public List<TopicDefinition> Topics { get; init; } = [];
    public List<RouteDefinition> Routes { get; init; } = [];

    /// <summary>The topic that receives events no route matched; null means they are counted and logged.</summary>
    public string? UnroutedTopic { get; init; }

    /// <summary>The topic operational alerts go to (sensitive data found, dead letters); optional.</summary>
    public string? AlertsTopic { get; init; }

    public List<PublisherDefinition> Publishers { get; init; } = [];
    public List<SubscriptionDefinition> Subscriptions { get; init; } = [];

    /// <summary>What happens to sensitive data by default, for publishers that do not say.</summary>
    public SensitiveDataSettings SensitiveData { get; init; } = new();

    /// <summary>Optional JSON Schemas (draft 2020-12) by event type, applied to the event's data.</summary>
    public Dictionary<string, JsonElement> Schemas { get; init; } = [];
}

/// <param name="Table">The DynamoDB table every accepted event is written to (stream NEW_IMAGE).</param>
/// <param name="RetentionDays">How long an event stays in the table (its TTL) and how long its id stays unique.</param>
/// <param name="ArchiveBucket">The S3 bucket that keeps every accepted payload for Macie to scan.</param>
public sealed record EventStoreDefinition(string Table, int RetentionDays, string ArchiveBucket);

/// <param name="Ingestion">Receives events that could not be written to the table.</param>
/// <param name="Publish">Receives events that could not be published to a topic.</param>
public sealed record DeadLetterQueuesDefinition(string Ingestion, string Publish)
{
    /// <summary>The queues by role (<c>ingestion</c>, <c>publish</c>), for whoever watches or operates them.</summary>
    public IReadOnlyList<(string Role, string Name)> ByRole() => [("ingestion", Ingestion), ("publish", Publish)];
}

public sealed record TopicDefinition(string Name, string? Description = null)
{
    public bool IsFifo => Name.EndsWith(".fifo", StringComparison.Ordinal);
}

/// <param name="Pattern">An Amazon EventBridge event pattern, matched against the CloudEvent.</param>
public sealed record RouteDefinition(string Name, JsonElement Pattern, List<string> Topics, string? Description = null);

/// <param name="Plan">Rate, burst and quota, as an API Gateway usage plan; null means unlimited.</param>
/// <param name="SensitiveData">This publisher's policy; null means the definition's default.</param>
/// <param name="Enabled">False revokes the publisher: its key is refused with 403.</param>
/// <param name="Sources">Prefixes its events' <c>source</c> must start with; null means any source.</param>
public sealed record PublisherDefinition(
    string Name,
    string? Description = null,
    UsagePlan? Plan = null,
    SensitiveDataPolicy? SensitiveData = null,
    bool Enabled = true,
    List<string>? Sources = null)
{
    /// <summary>Whether this publisher may send <paramref name="source"/>. Its own name is always allowed:
    /// it is the source plain JSON gets when none is sent.</summary>
    public bool AllowsSource(string source) =>
        Sources is null || source == Name || Sources.Exists(prefix => source.StartsWith(prefix, StringComparison.Ordinal));
}

/// <param name="RateLimit">Steady requests per second.</param>
/// <param name="BurstLimit">Requests that may arrive at once (the bucket's size).</param>
/// <param name="Quota">Requests per day, week or month; null means none.</param>
public sealed record UsagePlan(double RateLimit, int BurstLimit, Quota? Quota = null);

/// <param name="Limit">Requests allowed per period.</param>
/// <param name="Period">Calendar period in UTC; weeks start on Monday.</param>
public sealed record Quota(long Limit, QuotaPeriod Period);

[JsonConverter(typeof(JsonStringEnumConverter<QuotaPeriod>))]
public enum QuotaPeriod
{
    [JsonStringEnumMemberName("day")] Day,
    [JsonStringEnumMemberName("week")] Week,
    [JsonStringEnumMemberName("month")] Month,
}

/// <summary>What the system does with an event in which the scanner finds sensitive data.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<SensitiveDataPolicy>))]
public enum SensitiveDataPolicy
{
    /// <summary>Nothing: the payload is not scanned.</summary>
    [JsonStringEnumMemberName("allow")] Allow,

    /// <summary>Store and deliver it, marked sensitive, and raise an alert.</summary>
    [JsonStringEnumMemberName("flag")] Flag,

    /// <summary>Replace what was found before storing, archiving and delivering; raise an alert.</summary>
    [JsonStringEnumMemberName("redact")] Redact,

    /// <summary>Refuse the event (422) naming the detectors; store nothing; raise an alert.</summary>
    [JsonStringEnumMemberName("reject")] Reject,
}

public sealed record SensitiveDataSettings(SensitiveDataPolicy DefaultPolicy = SensitiveDataPolicy.Allow);

/// <param name="Endpoint">For <c>sqs</c>: a queue name the provisioner creates, or a queue ARN. For
/// <c>webhook</c>: the receiver's URL (https; <c>http://localhost</c> only in local runs).</param>
/// <param name="FilterPolicy">An SNS filter policy, optional.</param>
/// <param name="FilterPolicyScope"><c>MessageAttributes</c> (the default) or <c>MessageBody</c>.</param>
/// <param name="Id">Webhooks only: the subscription's id, which names its queues and its secret and
/// keys its attempts and its state (lower-case letters, digits and '-', at most 40).</param>
/// <param name="RateLimit">Webhooks only: deliveries per second at most (default 50).</param>
/// <param name="TimeoutSeconds">Webhooks only: how long an attempt may take, 1-60 (default 15).</param>
/// <param name="Ordering">Webhooks only: <c>none</c> (the default) or <c>partitionkey</c> (in order per
/// CloudEvents <c>partitionkey</c>, one key never holding back another).</param>
public sealed record SubscriptionDefinition(
    string Topic,
    string Protocol,
    string Endpoint,
    bool RawMessageDelivery = false,
    JsonElement? FilterPolicy = null,
    string? FilterPolicyScope = null,
    string? Id = null,
    double? RateLimit = null,
    int? TimeoutSeconds = null,
    string? Ordering = null)
{
    public const string WebhookProtocol = "webhook";

    /// <summary>The <see cref="Ordering"/> that delivers each <c>partitionkey</c>'s events in order.</summary>
    public const string PartitionKeyOrdering = "partitionkey";

    public bool IsWebhook => Protocol == WebhookProtocol;
}
