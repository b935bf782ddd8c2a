using System.Text.Json;
using System.Text.Json.Serialization;
using System.Threading.Channels;
using PubSub.Events;

namespace PubSub.Ingestion.Core.Alerts;

/// <summary>Publishes alerts to the definition's alerts topic off the request path: <see cref="Raise"/>
/// only queues. A full queue (10,000 alerts) refuses new ones with an error log, never blocking a
/// request; <see cref="FlushAsync"/> empties it (a Lambda adapter calls it before each invocation ends).</summary>
public sealed partial class AlertPublisher(
    AlertsTopic alerts,
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
        if (settings.Current.Definition.AlertsTopic is { } topic) // none declared: the warning log and the metric are the alert
        {
            await alerts.PublishAsync(topic, $"Sensitive data from {alert.Publisher}",
                JsonSerializer.Serialize(alert, AlertJsonContext.Default.SensitiveDataAlert), alert.Kind, "publisher", alert.Publisher, cancellationToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "The alert queue is full; the alert for event {EventId} from {Publisher} was not published")]
    private partial void LogDropped(string publisher, string eventId);
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(SensitiveDataAlert))]
internal sealed partial class AlertJsonContext : JsonSerializerContext;
