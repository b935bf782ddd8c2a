using System.Collections.Frozen;
using System.Diagnostics.Metrics;
using Amazon.S3;
using Amazon.SQS;
using Amazon.SimpleNotificationService;
using PubSub.Definition;

namespace PubSub.StreamPublisher.Core;

/// <summary>What the stream publisher's core is built from; each adapter fills it from where its settings live.</summary>
public sealed record StreamPublisherCoreOptions
{
    /// <summary>Routes, topics, the publish DLQ's name and the archive bucket.</summary>
    public required SystemDefinition Definition { get; init; }

    /// <summary>This deployment's region: only events stamped with it are published (see <see cref="PubSub.Events.DeploymentRegion"/>).</summary>
    public required string Region { get; init; }

    /// <summary>The other regions of the events global table, whose events are skipped (<see cref="PublisherSettings.ReplicaRegions"/>).</summary>
    public IReadOnlyList<string> ReplicaRegions { get; init; } = [];

    /// <summary>The publish DLQ's URL when known (a deployment passes it); else looked up by name.</summary>
    public string? DeadLetterQueueUrl { get; init; }

    /// <summary>Topic ARNs by name when known; others are looked up.</summary>
    public IReadOnlyDictionary<string, string> TopicArns { get; init; } = FrozenDictionary<string, string>.Empty;

    public required IAmazonSimpleNotificationService Sns { get; init; }
    public required IAmazonSQS Sqs { get; init; }
    public required IAmazonS3 S3 { get; init; }
    public required IMeterFactory Meters { get; init; }
    public required ILoggerFactory Loggers { get; init; }
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
