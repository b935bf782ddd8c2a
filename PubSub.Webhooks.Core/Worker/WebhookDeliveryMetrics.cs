using System.Diagnostics;
using System.Diagnostics.Metrics;
using PubSub.Telemetry;

namespace PubSub.Webhooks.Worker;

/// <summary>The delivery worker's metrics (meter <c>PubSub.WebhookDelivery</c>), tagged by subscription.</summary>
public sealed class WebhookDeliveryMetrics
{
    private readonly Counter<long> _attempts;
    private readonly Histogram<double> _attemptDuration;
    private readonly Counter<long> _delivered;
    private readonly Counter<long> _deadLettered;
    private readonly Counter<long> _deferred;
    private readonly Counter<long> _outOfOrder;

    public WebhookDeliveryMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(PubSubTelemetry.WebhookDeliveryName);
        _attempts = meter.CreateCounter<long>("pubsub.webhook.attempts", "{attempt}",
            "Delivery attempts, by subscription and outcome (Succeeded, Failed, Throttled, Gone) and error");
        _attemptDuration = meter.CreateHistogram<double>("pubsub.webhook.attempt.duration", "s",
            "One attempt's latency (connect, headers, up to 1 KiB of the answer), by subscription and outcome");
        _delivered = meter.CreateCounter<long>("pubsub.webhook.delivered", "{event}", "Events delivered (a 2xx), by subscription");
        _deadLettered = meter.CreateCounter<long>("pubsub.webhook.dead_lettered", "{event}",
            "Events sent to a subscription's dead-letter queue, by subscription and reason");
        _deferred = meter.CreateCounter<long>("pubsub.webhook.deferred", "{message}",
            "Messages put back without an attempt, by subscription and why (circuit, rate-limit, not-due, ordering, no-secret)");
        _outOfOrder = meter.CreateCounter<long>("pubsub.webhook.out_of_order", "{event}",
            "Events of an ordered key delivered after a later event of the same key (they came too late to go first), by subscription");
    }

    public void Attempted(string subscription, string outcome, string error, TimeSpan latency)
    {
        var tags = new TagList { { "subscription", subscription }, { "outcome", outcome }, { "error", error } };
        _attempts.Add(1, tags);
        _attemptDuration.Record(latency.TotalSeconds, tags);
    }

    public void Delivered(string subscription) => _delivered.Add(1, new KeyValuePair<string, object?>("subscription", subscription));

    public void DeadLettered(string subscription, string reason) => _deadLettered.Add(1,
        new KeyValuePair<string, object?>("subscription", subscription), new KeyValuePair<string, object?>("reason", reason));

    public void OutOfOrder(string subscription) => _outOfOrder.Add(1, new KeyValuePair<string, object?>("subscription", subscription));

    public void Deferred(string subscription, string why) => _deferred.Add(1,
        new KeyValuePair<string, object?>("subscription", subscription), new KeyValuePair<string, object?>("why", why));
}
