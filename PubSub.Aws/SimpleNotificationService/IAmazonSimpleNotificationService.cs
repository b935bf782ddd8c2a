using Amazon.SimpleNotificationService.Model;

namespace Amazon.SimpleNotificationService;

/// <summary>The part of SNS this system uses, shaped like the official
/// <c>Amazon.SimpleNotificationService.IAmazonSimpleNotificationService</c>, and declared under that name in that
/// namespace (as is every type here and in <c>Model/</c>) so that swapping in AWSSDK.SimpleNotificationService
/// changes PubSub.Aws only.</summary>
public interface IAmazonSimpleNotificationService : IDisposable
{
    Task<PublishResponse> PublishAsync(PublishRequest request, CancellationToken cancellationToken = default);
    Task<PublishBatchResponse> PublishBatchAsync(PublishBatchRequest request, CancellationToken cancellationToken = default);
    Task<CreateTopicResponse> CreateTopicAsync(CreateTopicRequest request, CancellationToken cancellationToken = default);
    Task<DeleteTopicResponse> DeleteTopicAsync(DeleteTopicRequest request, CancellationToken cancellationToken = default);
    Task<ListTopicsResponse> ListTopicsAsync(ListTopicsRequest request, CancellationToken cancellationToken = default);
    Task<SubscribeResponse> SubscribeAsync(SubscribeRequest request, CancellationToken cancellationToken = default);
    Task<UnsubscribeResponse> UnsubscribeAsync(UnsubscribeRequest request, CancellationToken cancellationToken = default);
    Task<SetSubscriptionAttributesResponse> SetSubscriptionAttributesAsync(SetSubscriptionAttributesRequest request, CancellationToken cancellationToken = default);
    Task<ListSubscriptionsByTopicResponse> ListSubscriptionsByTopicAsync(ListSubscriptionsByTopicRequest request, CancellationToken cancellationToken = default);
    Task<GetSubscriptionAttributesResponse> GetSubscriptionAttributesAsync(GetSubscriptionAttributesRequest request, CancellationToken cancellationToken = default);
}
