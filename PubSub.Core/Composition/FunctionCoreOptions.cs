using System.Collections.Frozen;
using System.Diagnostics.Metrics;
using Amazon.SQS;
using Amazon.SimpleNotificationService;
using Microsoft.Extensions.Logging;
using PubSub.Aws.SimpleNotificationService;
using PubSub.Events;

namespace PubSub.Composition;

/// <summary>What both function cores are built from besides their own parts; each adapter fills it from where
/// its settings live (the local host's configuration, the Lambda function's environment).</summary>
public abstract record FunctionCoreOptions
{
    /// <summary>This deployment's region (see <see cref="PubSub.Events.DeploymentRegion"/>): ingestion stamps it on
    /// every event, and the stream publisher publishes only events stamped with it.</summary>
    public required string Region { get; init; }

    /// <summary>The function's DLQ's URL when known (a deployment passes it); else looked up by name.</summary>
    public string? DeadLetterQueueUrl { get; init; }

    /// <summary>Topic ARNs by name when known; others are looked up.</summary>
    public IReadOnlyDictionary<string, string> TopicArns { get; init; } = FrozenDictionary<string, string>.Empty;

    public required IAmazonSimpleNotificationService Sns { get; init; }
    public required IAmazonSQS Sqs { get; init; }
    public required IMeterFactory Meters { get; init; }
    public required ILoggerFactory Loggers { get; init; }
    public TimeProvider Time { get; init; } = TimeProvider.System;

    /// <summary>The alerts topic's publisher, over <see cref="Sns"/> and <see cref="TopicArns"/>.</summary>
    public AlertsTopic CreateAlertsTopic() => new(Sns, new TopicDirectory(Sns, TopicArns), Loggers.CreateLogger<AlertsTopic>());
}
