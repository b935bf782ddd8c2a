using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using PubSub.Aws;
using Amazon.SimpleNotificationService;
using Amazon.SimpleNotificationService.Model;
using PubSub.Aws.SimpleNotificationService;
using PubSub.Events;

namespace PubSub.Ingestion.Core.Alerts;

/// <summary>Publishes alerts to the definition's alerts topic off the request path: <see cref="Raise"/>
/// only queues. A full queue (10,000 alerts) refuses new ones with an error log, never blocking a
/// request; <see cref="FlushAsync"/> empties it (a Lambda adapter calls it before each invocation ends).</summary>
public sealed partial class AlertPublisher(
    IAmazonSimpleNotificationService sns,
    TopicDirectory topics,
    IIngestionSettingsSource settings,
    ILogger<AlertPublisher> logger) : IAlertSink
{
    private readonly Channel<SensitiveDataAlert> _queue = Channel.CreateBounded<SensitiveDataAlert>(
        new BoundedChannelOptions(10_000) { FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true });

    public void Raise(SensitiveDataAlert alert)
    {
        if (!_queue.Writer.TryWrite(alert))
        {
            LogDropped(alert.Publisher, alert.EventId);
        }
    }

    public async Task RunAsync(CancellationToken cancellationToken)
    {
        await foreach (var alert in _queue.Reader.ReadAllAsync(cancellationToken))
        {
            await PublishAsync(alert, cancellationToken);
        }
    }

    public async Task FlushAsync(CancellationToken cancellationToken)
    {
        while (_queue.Reader.TryRead(out var alert))
        {
            await PublishAsync(alert, cancellationToken);
        }
    }

    private async Task PublishAsync(SensitiveDataAlert alert, CancellationToken cancellationToken)
    {
        if (settings.Current.Definition.AlertsTopic is not { } topic)
        {
            return; // no alerts topic declared: the warning log and the metric are the alert
        }

        try
        {
            await sns.PublishAsync(new PublishRequest
            {
                TopicArn = await topics.ArnOfAsync(topic, cancellationToken),
                Subject = $"Sensitive data from {alert.Publisher}",
                Message = JsonSerializer.Serialize(alert, AlertJsonContext.Default.SensitiveDataAlert),
                MessageAttributes = new()
                {
                    ["kind"] = MessageAttributes.Text(alert.Kind),
                    ["publisher"] = MessageAttributes.Text(alert.Publisher),
                },
            }, cancellationToken);
        }
        catch (Exception e) when (AwsErrors.IsCallFailure(e, cancellationToken) || e is TopicNotFoundException)
        {
            LogPublishFailed(e, alert.Publisher, alert.EventId, topic);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The alert queue is full; the alert for event {EventId} from {Publisher} was not published")]
    private partial void LogDropped(string publisher, string eventId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Could not publish the alert for event {EventId} from {Publisher} to topic {Topic}")]
    private partial void LogPublishFailed(Exception exception, string publisher, string eventId, string topic);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(SensitiveDataAlert))]
internal sealed partial class AlertJsonContext : JsonSerializerContext;
