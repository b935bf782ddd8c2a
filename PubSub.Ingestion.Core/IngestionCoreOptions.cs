using System.Collections.Frozen;
using System.Diagnostics.Metrics;
using Amazon.SQS;
using PubSub.Aws.DynamoDB;
using Amazon.SimpleNotificationService;

namespace PubSub.Ingestion.Core;

/// <summary>What the ingestion core is built from; each adapter fills it from where its settings live.</summary>
public sealed record IngestionCoreOptions
{
    /// <summary>The definition (the Events table, the ingestion DLQ's name, publishers, schemas) and the fingerprint key.</summary>
    public required IIngestionSettingsSource Settings { get; init; }

    /// <summary>This deployment's region, stamped on every event (see <see cref="PubSub.Events.DeploymentRegion"/>).</summary>
    public required string Region { get; init; }

    /// <summary>The ingestion DLQ's URL when known (a deployment passes it); else looked up by name.</summary>
    public string? DeadLetterQueueUrl { get; init; }

    /// <summary>Topic ARNs by name when known; others are looked up (the alerts topic).</summary>
    public IReadOnlyDictionary<string, string> TopicArns { get; init; } = FrozenDictionary<string, string>.Empty;

    public required IDynamoDbConditionalWriter DynamoDb { get; init; }
    public required IAmazonSQS Sqs { get; init; }
    public required IAmazonSimpleNotificationService Sns { get; init; }
    public required IMeterFactory Meters { get; init; }
    public required ILoggerFactory Loggers { get; init; }
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
