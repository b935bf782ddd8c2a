using PubSub.Aws;

namespace PubSub.StreamPublisher.Core;

/// <param name="Region">This deployment's region: records that originated elsewhere were published there.</param>
/// <param name="PublishDeadLetterQueue">Name of the queue for events that could not be published after retries.</param>
/// <param name="PublishDeadLetterQueueUrl">Its URL when known (CloudFormation passes it); else looked up by name.</param>
/// <param name="MaxPublishAttempts">Sends of an entry that SNS failed in a partial batch (a failed call is retried by the client).</param>
/// <param name="PublishReserve">Time kept back from publishing for the DLQ and the archive (default <see cref="AwsTimeouts.PublishReserve"/>).</param>
public sealed record PublisherSettings(
    string Region,
    string PublishDeadLetterQueue,
    string? PublishDeadLetterQueueUrl = null,
    int MaxPublishAttempts = 3,
    TimeSpan? PublishReserve = null)
{
    public TimeSpan FallbackReserve => PublishReserve ?? AwsTimeouts.PublishReserve;
}
