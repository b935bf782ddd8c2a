using System.Collections.Frozen;

namespace PubSub.Functions.Metrics;

/// <summary>The instruments the functions publish to CloudWatch, with their dimensions and roll-ups.
/// Only tags whose values come from the definition (publisher, topic, route, subscription) or from our own codes
/// (outcome, reason, detector, policy) are dimensions, so the number of metrics is bounded: the publish
/// dead letters' <c>error</c> (an AWS error code or an exception's name) is summed over. An instrument not
/// listed here is not published (a test keeps the list complete).</summary>
public static class EmbeddedMetricCatalog
{
    private const string Publisher = "publisher", Outcome = "outcome", Reason = "reason", Topic = "topic", Subscription = "subscription";

    public static readonly FrozenDictionary<string, EmbeddedMetric> ByName = new EmbeddedMetric[]
    {
        // Per publisher and outcome (traffic), refusals by reason, and totals by outcome.
        new("pubsub.ingestion.events", "Count", [Publisher, Outcome, Reason],
            [[Publisher, Outcome, Reason], [Publisher, Outcome], [Publisher], [Outcome]]),
        new("pubsub.ingestion.duration", "Seconds", [Outcome], [[Outcome], []]),
        new("pubsub.ingestion.dead_lettered", "Count", [Publisher], [[Publisher], []]),

        // [publisher] alone is what the per-publisher alarm watches.
        new("pubsub.ingestion.sensitive", "Count", [Publisher, "detector", "policy"],
            [[Publisher, "detector", "policy"], [Publisher], []]),
        new("pubsub.ingestion.batch.size", "Count", [Publisher], [[Publisher], []]),
        new("pubsub.publisher.records", "Count", [Outcome], [[Outcome]]),
        new("pubsub.publisher.routed", "Count", ["route"], [["route"]]),
        new("pubsub.publisher.messages", "Count", [Topic], [[Topic], []]),
        new("pubsub.publisher.dead_lettered", "Count", [Topic, Reason], [[Topic, Reason], [Topic], [Reason]]),
        new("pubsub.publisher.publish.duration", "Seconds", [Topic], [[Topic]]),
        new("pubsub.publisher.lag", "Seconds", [], [[]]),
        new("pubsub.publisher.batch.size", "Count", [], [[]]),

        // Webhook delivery: the sets the dashboard's searches read (StackTemplate.WebhookWidgets). Subscription ids come
        // from the definition; an attempt's error is summed over (the outcome says enough to graph).
        new("pubsub.webhook.attempts", "Count", [Subscription, Outcome], [[Outcome], [Subscription, Outcome]]),
        new("pubsub.webhook.attempt.duration", "Seconds", [Subscription], [[Subscription]]),
        new("pubsub.webhook.delivered", "Count", [Subscription], [[Subscription], []]),
        new("pubsub.webhook.dead_lettered", "Count", [Subscription, Reason], [[Subscription, Reason], [Subscription]]),
        new("pubsub.webhook.deferred", "Count", [Subscription, "why"], [[Subscription, "why"]]),
        new("pubsub.webhook.out_of_order", "Count", [Subscription], [[Subscription]]),
    }.ToFrozenDictionary(m => m.Name, StringComparer.Ordinal);
}
