using System.Diagnostics.Metrics;
using PubSub.Telemetry;

namespace PubSub.StreamPublisher.Core;

public sealed class StreamPublisherMetrics
{
    private readonly Counter<long> _records;
    private readonly Counter<long> _published;
    private readonly Counter<long> _routed;
    private readonly Counter<long> _deadLettered;
    private readonly Histogram<double> _publishDuration;
    private readonly Histogram<double> _lag;
    private readonly Histogram<long> _batchSize;

    public StreamPublisherMetrics(IMeterFactory meterFactory)
    {
        var meter = meterFactory.Create(PubSubTelemetry.StreamPublisherName);
        _records = meter.CreateCounter<long>("pubsub.publisher.records", "{record}",
            "Stream records handled, by outcome (routed, unrouted, skipped-replica, skipped-operation, and the dead-letter reasons "
            + "undecodable-record, unroutable, undeliverable, unknown-origin-region)");
        _routed = meter.CreateCounter<long>("pubsub.publisher.routed", "{event}", "Events a route matched, by route");
        _published = meter.CreateCounter<long>("pubsub.publisher.messages", "{message}", "Messages published, by topic");
        _deadLettered = meter.CreateCounter<long>("pubsub.publisher.dead_lettered", "{message}",
            "Messages sent to the publish dead-letter queue, by topic, error and reason");
        _publishDuration = meter.CreateHistogram<double>("pubsub.publisher.publish.duration", "s",
            "Duration of one PublishBatch call, retries included");
        _lag = meter.CreateHistogram<double>("pubsub.publisher.lag", "s",
            "Time from the table write to the publish (the stream's iterator age)");
        _batchSize = meter.CreateHistogram<long>("pubsub.publisher.batch.size", "{record}", "Stream records per batch handed to the publisher");
    }

    public void Record(string outcome, int count = 1) => _records.Add(count, new KeyValuePair<string, object?>("outcome", outcome));

    public void Routed(string route) => _routed.Add(1, new KeyValuePair<string, object?>("route", route));

    public void Published(string topic, int count) => _published.Add(count, new KeyValuePair<string, object?>("topic", topic));

    public void DeadLettered(string topic, string errorCode, string reason) => _deadLettered.Add(1,
        new KeyValuePair<string, object?>("topic", topic), new KeyValuePair<string, object?>("error", errorCode),
        new KeyValuePair<string, object?>("reason", reason));

    public void PublishDuration(string topic, TimeSpan duration) =>
        _publishDuration.Record(duration.TotalSeconds, new KeyValuePair<string, object?>("topic", topic));

    public void BatchSize(int records) => _batchSize.Record(records);

    public void Lag(TimeSpan lag) => _lag.Record(Math.Max(0, lag.TotalSeconds));
}
