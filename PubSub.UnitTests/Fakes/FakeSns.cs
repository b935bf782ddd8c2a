using Amazon.SimpleNotificationService;
using Amazon.SimpleNotificationService.Model;

namespace PubSub.UnitTests.Fakes;

/// <summary>An in-memory SNS that records what was published (in batches and alone); <see cref="OnPublishBatch"/> scripts
/// failures (by default every entry succeeds).</summary>
internal sealed class FakeSns(params string[] topics) : IAmazonSimpleNotificationService
{
    public List<PublishBatchRequest> Batches { get; } = [];

    /// <summary>Messages sent one at a time (Publish), as the replays send them.</summary>
    public List<PublishRequest> Singles { get; } = [];

    public Func<PublishBatchRequest, int, PublishBatchResponse>? OnPublishBatch { get; set; }

    public void Dispose()
    {
    }

    public static string ArnOf(string topic) => $"arn:aws:sns:us-east-1:000000000000:{topic}";

    public IEnumerable<PublishBatchRequestEntry> Published(string topic) =>
        Batches.Where(b => b.TopicArn == ArnOf(topic)).SelectMany(b => b.PublishBatchRequestEntries);

    public static PublishBatchResponse AllSucceeded(PublishBatchRequest request) => new()
    {
        Successful = [.. request.PublishBatchRequestEntries.Select(e => new PublishBatchResultEntry(e.Id, "m-" + e.Id, null))],
    };

    public Task<PublishBatchResponse> PublishBatchAsync(PublishBatchRequest request, CancellationToken cancellationToken = default)
    {
        Batches.Add(request);
        return Task.FromResult(OnPublishBatch?.Invoke(request, Batches.Count) ?? AllSucceeded(request));
    }

    public Task<ListTopicsResponse> ListTopicsAsync(ListTopicsRequest request, CancellationToken cancellationToken = default) =>
        Task.FromResult(new ListTopicsResponse { Topics = [.. topics.Select(t => new Topic(ArnOf(t)))] });

    public Task<PublishResponse> PublishAsync(PublishRequest request, CancellationToken cancellationToken = default)
    {
        Singles.Add(request);
        return Task.FromResult(new PublishResponse { MessageId = "m-" + Singles.Count });
    }

    public Task<CreateTopicResponse> CreateTopicAsync(CreateTopicRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task<DeleteTopicResponse> DeleteTopicAsync(DeleteTopicRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task<SubscribeResponse> SubscribeAsync(SubscribeRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task<UnsubscribeResponse> UnsubscribeAsync(UnsubscribeRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task<SetSubscriptionAttributesResponse> SetSubscriptionAttributesAsync(SetSubscriptionAttributesRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task<ListSubscriptionsByTopicResponse> ListSubscriptionsByTopicAsync(ListSubscriptionsByTopicRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
    public Task<GetSubscriptionAttributesResponse> GetSubscriptionAttributesAsync(GetSubscriptionAttributesRequest request, CancellationToken cancellationToken = default) => throw new NotSupportedException();
}
