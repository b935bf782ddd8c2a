namespace PubSub.Webhooks.Worker;

/// <summary>The webhook delivery core, composed in one place for both adapters (the local worker's
/// <see cref="WebhookQueueReader"/> and the Lambda function).</summary>
public static class WebhookDeliveryCore
{
    /// <summary>One per process: the deliverer owns the HTTP connection pool (dispose it at shutdown).</summary>
    public static WebhookBatchDeliverer Create(WebhookDeliveryCoreOptions options) =>
        throw new NotImplementedException();
}
