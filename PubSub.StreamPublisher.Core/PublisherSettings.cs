using PubSub.Aws;

namespace PubSub.StreamPublisher.Core;

/// <param name="Region">This deployment's region: the one ingestion stamps on the events it accepts
/// (locally both services read the setting <c>PubSub:Region</c>).</param>
/// <param name="PublishDeadLetterQueue">Name of the queue for events that could not be published after retries.</param>
/// <param name="PublishDeadLetterQueueUrl">Its URL when known (CloudFormation passes it); else looked up by name.</param>
/// <param name="MaxPublishAttempts">Sends of an entry that SNS failed in a partial batch (a failed call is retried by the client).</param>
/// <param name="ReplicaRegions">The other regions of the events global table: their records are skipped
/// (they publish them); a record from any other region is dead-lettered as <c>unknown-origin-region</c>.</param>
/// <param name="PublishReserve">Time kept back from publishing for the DLQ and the archive (default <see cref="AwsTimeouts.PublishReserve"/>).</param>
public sealed record PublisherSettings(
    string Region,
    string PublishDeadLetterQueue,
    string? PublishDeadLetterQueueUrl = null,
    int MaxPublishAttempts = 3,
    IReadOnlyList<string>? ReplicaRegions = null,
    TimeSpan? PublishReserve = null)
{
    public TimeSpan FallbackReserve => PublishReserve ?? AwsTimeouts.PublishReserve;

    public bool IsReplicaRegion(string region) => ReplicaRegions?.Contains(region, StringComparer.Ordinal) ?? false;

    /// <summary>Reads a comma-separated list of regions (<c>PubSub:ReplicaRegions</c>, <c>PUBSUB_REPLICA_REGIONS</c>).</summary>
    public static IReadOnlyList<string> RegionsFrom(string? setting) =>
        (setting ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
