using PubSub.Aws.SimpleNotificationService;

namespace Amazon.SimpleNotificationService.Model;

public sealed record SubscribeRequest
{
    public required string TopicArn { get; init; }
    public required string Protocol { get; init; }
    public string? Endpoint { get; init; }
    public Dictionary<string, string> Attributes { get; init; } = [];
    public bool ReturnSubscriptionArn { get; init; }
}

public sealed record SubscribeResponse : SnsResponse
{
    public required string SubscriptionArn { get; init; }
}

public sealed record UnsubscribeRequest(string SubscriptionArn);

public sealed record UnsubscribeResponse : SnsResponse;

public sealed record SetSubscriptionAttributesRequest(string SubscriptionArn, string AttributeName, string? AttributeValue);

public sealed record SetSubscriptionAttributesResponse : SnsResponse;

public sealed record GetSubscriptionAttributesRequest(string SubscriptionArn);

public sealed record GetSubscriptionAttributesResponse : SnsResponse
{
    public Dictionary<string, string> Attributes { get; init; } = [];
}

public sealed record ListSubscriptionsByTopicRequest
{
    public required string TopicArn { get; init; }
    public string? NextToken { get; init; }
}

public sealed record ListSubscriptionsByTopicResponse : SnsResponse
{
    public List<Subscription> Subscriptions { get; init; } = [];
    public string? NextToken { get; init; }
}

public sealed record Subscription(string SubscriptionArn, string? Owner, string Protocol, string? Endpoint, string TopicArn);
