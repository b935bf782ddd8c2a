namespace PubSub.Aws.SimpleNotificationService;

/// <summary>What every SNS answer carries. Ours: the official responses derive from AWSSDK.Core's
/// AmazonWebServiceResponse instead.</summary>
public abstract record SnsResponse
{
    public string? RequestId { get; init; }
}
