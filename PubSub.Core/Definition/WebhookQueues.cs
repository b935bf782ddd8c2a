using PubSub.Aws;

namespace PubSub.Definition;

/// <summary>How a webhook subscription's queue and its consumer are set up, in one place for the local
/// provisioner, the stack and the delivery worker (docs/deploying.md explains each figure).</summary>
public static class WebhookQueues
{
    /// <summary>Receives before SQS moves a message to the DLQ: SQS's most. Only a safety net: attempts are counted in
    /// the attempts table; but a message held back without an attempt (an open circuit, a missing secret) spends a
    /// receive each time it comes back, so with <see cref="HeldWait"/> this must outlast the retry schedule (about 47 h)
    /// many times over. With 100, a dead endpoint's new events were redriven after about 2 h, mostly never attempted.</summary>
    public const int MaxReceiveCount = 1000;

    /// <summary>The longest a held message waits between receives (<see cref="HeldWait"/>): also how late a held event
    /// can be after its endpoint recovers.</summary>
    public static readonly TimeSpan LongestHeldWait = TimeSpan.FromMinutes(15);

    /// <summary>How long to hide a message held back without an attempt: at least <paramref name="wait"/> (e.g. the
    /// circuit's time left), growing 10 s per receive up to <see cref="LongestHeldWait"/>, so a long outage costs few
    /// receives: <see cref="MaxReceiveCount"/> receives last about 220 h.</summary>
    public static TimeSpan HeldWait(TimeSpan wait, int receiveCount)
    {
        var grown = TimeSpan.FromSeconds(10 * (double)Math.Max(1, receiveCount));
        return TimeSpan.FromTicks(Math.Max(wait.Ticks, Math.Min(grown.Ticks, LongestHeldWait.Ticks)));
    }

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
