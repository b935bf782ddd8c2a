using PubSub.Aws.SimpleNotificationService;

namespace Amazon.SimpleNotificationService.Model;

/// <summary>Up to 10 entries and 256 KiB in all per call.</summary>
public sealed record PublishBatchRequest
{
    public required string TopicArn { get; init; }
    public List<PublishBatchRequestEntry> PublishBatchRequestEntries { get; init; } = [];
}

public sealed record PublishBatchRequestEntry
{
    public required string Id { get; init; }
    public required string Message { get; init; }
    public string? Subject { get; init; }
    public string? MessageStructure { get; init; }
    public Dictionary<string, MessageAttributeValue> MessageAttributes { get; init; } = [];
    public string? MessageDeduplicationId { get; init; }
    public string? MessageGroupId { get; init; }
}

public sealed record PublishBatchResponse : SnsResponse
{
    public List<PublishBatchResultEntry> Successful { get; init; } = [];
    public List<BatchResultErrorEntry> Failed { get; init; } = [];
}

public sealed record PublishBatchResultEntry(string Id, string? MessageId, string? SequenceNumber);

/// <summary>One entry SNS refused; <see cref="SenderFault"/> false means SNS's side, worth a retry.</summary>
public sealed record BatchResultErrorEntry(string Id, string Code, string? Message, bool SenderFault);
