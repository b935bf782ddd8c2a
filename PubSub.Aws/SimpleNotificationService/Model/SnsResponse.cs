namespace PubSub.Aws.SimpleNotificationService.Model;

/// <summary>What every SNS answer carries.</summary>
public abstract record SnsResponse
{
    public string? RequestId { get; init; }
}
