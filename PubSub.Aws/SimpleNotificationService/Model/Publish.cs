using PubSub.Aws.SimpleNotificationService;

namespace Amazon.SimpleNotificationService.Model;

public sealed record PublishRequest
{
    public string? TopicArn { get; init; }
    public string? TargetArn { get; init; }
    public string? PhoneNumber { get; init; }
    public required string Message { get; init; }
    public string? Subject { get; init; }
    public string? MessageStructure { get; init; }
    public Dictionary<string, MessageAttributeValue> MessageAttributes { get; init; } = [];
    public string? MessageDeduplicationId { get; init; }
    public string? MessageGroupId { get; init; }
}

public sealed record PublishResponse : SnsResponse
{
    public string? MessageId { get; init; }
    public string? SequenceNumber { get; init; }
}
