using System.Text.Json;

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

    public List<PublisherDefinition> Publishers { get; init; } = [];
    public List<SubscriptionDefinition> Subscriptions { get; init; } = [];
}

/// <param name="Table">The DynamoDB table every accepted event is written to (stream NEW_IMAGE).</param>
/// <param name="RetentionDays">How long an event stays in the table (its TTL) and how long its id stays unique.</param>
/// <param name="ArchiveBucket">The S3 bucket that keeps every accepted payload for Macie to scan.</param>
public sealed record EventStoreDefinition(string Table, int RetentionDays, string ArchiveBucket);

/// <param name="Ingestion">Receives events that could not be written to the table.</param>
/// <param name="Publish">Receives events that could not be published to a topic.</param>
public sealed record DeadLetterQueuesDefinition(string Ingestion, string Publish);

public sealed record TopicDefinition(string Name, string? Description = null)
{
    public bool IsFifo => Name.EndsWith(".fifo", StringComparison.Ordinal);
}

/// <param name="Pattern">An Amazon EventBridge event pattern, matched against the CloudEvent.</param>
public sealed record RouteDefinition(string Name, JsonElement Pattern, List<string> Topics, string? Description = null);

public sealed record PublisherDefinition(string Name, string? Description = null);

/// <param name="Endpoint">For <c>sqs</c>: a queue name the provisioner creates, or a queue ARN.</param>
/// <param name="FilterPolicy">An SNS filter policy, optional.</param>
/// <param name="FilterPolicyScope"><c>MessageAttributes</c> (the default) or <c>MessageBody</c>.</param>
public sealed record SubscriptionDefinition(
    string Topic,
    string Protocol,
    string Endpoint,
    bool RawMessageDelivery = false,
    JsonElement? FilterPolicy = null,
    string? FilterPolicyScope = null);
