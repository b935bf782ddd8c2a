using Amazon.S3;
using PubSub.Composition;
using PubSub.Definition;

namespace PubSub.StreamPublisher.Core;

/// <summary>What the stream publisher's core is built from; each adapter fills it from where its settings live.
/// The DLQ is the publish DLQ.</summary>
public sealed record StreamPublisherCoreOptions : FunctionCoreOptions
{
    /// <summary>Routes, topics, the publish DLQ's name and the archive bucket.</summary>
    public required SystemDefinition Definition { get; init; }

    /// <summary>The other regions of the events global table, whose events are skipped (<see cref="PublisherSettings.ReplicaRegions"/>).</summary>
    public IReadOnlyList<string> ReplicaRegions { get; init; } = [];

    public required IAmazonS3 S3 { get; init; }
}
