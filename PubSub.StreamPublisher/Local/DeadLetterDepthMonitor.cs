using System.Diagnostics.Metrics;
using Amazon.SQS;
using PubSub.Aws;
using PubSub.Definition;
using PubSub.Telemetry;

namespace PubSub.StreamPublisher.Local;

/// <summary>Publishes the depth of each dead-letter queue as the gauge <c>pubsub.dead_letter.depth</c>
/// (the dashboard's counterpart of CloudWatch's ApproximateNumberOfMessagesVisible), read every 10 s.</summary>
internal sealed partial class DeadLetterDepthMonitor : BackgroundService
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(10);

    private readonly IAmazonSQS _sqs;
    private readonly SystemDefinition _definition;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<DeadLetterDepthMonitor> _logger;
    private readonly Dictionary<string, long> _depths = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public DeadLetterDepthMonitor(IAmazonSQS sqs, SystemDefinition definition, IMeterFactory meterFactory, TimeProvider timeProvider,
        ILogger<DeadLetterDepthMonitor> logger)
    {
        _sqs = sqs;
        _definition = definition;
        _timeProvider = timeProvider;
        _logger = logger;
        meterFactory.Create(PubSubTelemetry.StreamPublisherName).CreateObservableGauge("pubsub.dead_letter.depth", Observe, "{message}",
            "Messages waiting in each dead-letter queue");
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            foreach (var (role, queue) in _definition.DeadLetterQueues.ByRole())
            {
                try
                {
                    var url = (await _sqs.GetQueueUrlAsync(queue, stoppingToken)).QueueUrl;
                    var attributes = await _sqs.GetQueueAttributesAsync(url, ["ApproximateNumberOfMessages"], stoppingToken);
                    lock (_gate)
                    {
                        _depths[role] = attributes.ApproximateNumberOfMessages;
                    }
                }
                catch (Exception e) when (AwsErrors.IsCallFailure(e, stoppingToken))
                {
                    LogUnreadable(queue, e.Message);
                }
            }

            try
            {
                await Task.Delay(Interval, _timeProvider, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private IEnumerable<Measurement<long>> Observe()
    {
        lock (_gate)
        {
            return [.. _depths.Select(d => new Measurement<long>(d.Value, new KeyValuePair<string, object?>("queue", d.Key)))];
        }
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Dead-letter queue {Queue} cannot be read: {Error}")]
    private partial void LogUnreadable(string queue, string error);
}
