using PubSub.Definition;

namespace PubSub.Webhooks.Worker;

/// <summary>Delivers a batch of one webhook subscription's queued messages: each one admitted by the endpoint's circuit
/// and rate limit, signed, sent, recorded, and then deleted, hidden until its next attempt or dead-lettered.</summary>
public sealed partial class WebhookBatchDeliverer : IDisposable
{
    /// <summary>Delivers <paramref name="messages"/> (all of <paramref name="subscription"/>'s queue,
    /// <paramref name="queueUrl"/>). Never throws for one message's failure; throws only when
    /// <paramref name="cancellationToken"/> is cancelled.</summary>
    public Task<DeliveryBatchResult> DeliverAsync(SubscriptionDefinition subscription, string queueUrl,
        IReadOnlyList<QueuedDelivery> messages, CancellationToken cancellationToken) =>
        throw new NotImplementedException();

    /// <summary>The subscription's <c>timeoutSeconds</c> (default 15).</summary>
    internal static TimeSpan TimeoutOf(SubscriptionDefinition subscription) =>
        subscription.TimeoutSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : Delivery.WebhookRequest.DefaultTimeout;

    public void Dispose()
    {
    }
}
