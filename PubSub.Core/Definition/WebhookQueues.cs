using PubSub.Aws;

namespace PubSub.Definition;

/// <summary>How a webhook subscription's queue and its consumer are set up, in one place for the local
/// provisioner, the stack and the delivery worker (docs/deploying.md explains each figure).</summary>
public static class WebhookQueues
{
    /// <summary>Receives before SQS moves a message to the DLQ. Only a safety net: attempts are counted in the
    /// attempts table, and waits for the circuit or the rate limit receive a message too (about 47 h of retries).</summary>
    public const int MaxReceiveCount = 100;

    /// <summary>How long a received message stays hidden: two invocations' worth. Lambda refuses a mapping whose queue
    /// hides a message for less than the function's timeout, and the timeout covers the longest attempt (60 s) with
    /// margin; a worker that dies mid-batch gets its messages back after this, not after AWS's suggested 6x, since the
    /// mapping's maximum concurrency keeps pollers from taking batches the function cannot run.</summary>
    public static readonly TimeSpan VisibilityTimeout = AwsTimeouts.WebhookInvocation * 2;

    /// <summary>How long an undelivered message is kept, on the queue and on its DLQ: SQS's longest.</summary>
    public static readonly TimeSpan Retention = TimeSpan.FromDays(14);

    /// <summary>Messages per invocation: SQS's most per receive without a batching window, so a first attempt is
    /// immediate; one subscription's queue holds one endpoint's messages, so a batch never mixes endpoints.</summary>
    public const int BatchSize = 10;

    /// <summary>Deliveries per second one delivery process is assumed to manage for one endpoint (a batch's attempts
    /// run at once; a 0.1-0.4 s answer gives 25-100/s).</summary>
    private const double DeliveriesPerProcess = 25;

    /// <summary>The event source mapping's maximum concurrency for a subscription: enough processes for its rate limit
    /// (<see cref="DeliveriesPerProcess"/> each), at least Lambda's minimum of 2, at most its 1000. The rate limiter is
    /// per process, so the Lambda adapter divides the subscription's rate by this.</summary>
    public static int MaximumConcurrency(SubscriptionDefinition subscription) =>
        (int)Math.Clamp(Math.Ceiling((subscription.RateLimit ?? DefaultRateLimit) / DeliveriesPerProcess), 2, 1000);

    /// <summary>The rate one of the mapping's processes may deliver at: the subscription's <c>rateLimit</c> shared by
    /// <see cref="MaximumConcurrency"/> processes, so that the endpoint gets no more than its limit in all.</summary>
    public static double PerProcessRateLimit(SubscriptionDefinition subscription) =>
        (subscription.RateLimit ?? DefaultRateLimit) / MaximumConcurrency(subscription);

    /// <summary>A subscription's <c>rateLimit</c> when the definition gives none.</summary>
    public const double DefaultRateLimit = 50;
}
