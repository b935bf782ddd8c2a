using PubSub.Aws.SimpleNotificationService;

namespace Amazon.SimpleNotificationService.Model;

public sealed record CreateTopicRequest
{
    public required string Name { get; init; }
    public Dictionary<string, string> Attributes { get; init; } = [];
    public List<Tag> Tags { get; init; } = [];
}

public sealed record CreateTopicResponse : SnsResponse
{
    public required string TopicArn { get; init; }
}

public sealed record DeleteTopicRequest(string TopicArn);

public sealed record DeleteTopicResponse : SnsResponse;

public sealed record ListTopicsRequest
{
    public string? NextToken { get; init; }
}

public sealed record ListTopicsResponse : SnsResponse
{
    public List<Topic> Topics { get; init; } = [];
    public string? NextToken { get; init; }
}

public sealed record Topic(string TopicArn);

public sealed record Tag(string Key, string Value);
