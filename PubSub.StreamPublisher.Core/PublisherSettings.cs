namespace PubSub.StreamPublisher.Core;

/// <param name="Region">This deployment's region: records that originated elsewhere were published there.</param>
/// <param name="PublishDeadLetterQueue">Name of the queue for events that could not be published after retries.</param>
/// <param name="PublishDeadLetterQueueUrl">Its URL when known (CloudFormation passes it); else looked up by name.</param>
/// <param name="MaxPublishAttempts">Attempts per batch entry (the client retries each call as well).</param>
public sealed record PublisherSettings(
    string Region,
    string PublishDeadLetterQueue,
    string? PublishDeadLetterQueueUrl = null,
    int MaxPublishAttempts = 3);
