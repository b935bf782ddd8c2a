using Amazon.SQS;
using PubSub.Definition;
using PubSub.Webhooks.Worker;

namespace PubSub.WebhookDelivery.Local;

/// <summary>The local stand-in for Lambda's event source mappings: one <see cref="WebhookQueueReader"/> per webhook
/// subscription of the definition, started and stopped as the definition file changes (a reader whose subscription
/// changed is restarted with the new one). A reader that fails (its queue not provisioned yet, say) is logged and
/// started again after <see cref="RestartDelay"/>; one subscription's trouble never stops another's reader.</summary>
internal sealed partial class WebhookReaders(
    SystemDefinitionMonitor definitions,
    WebhookBatchDeliverer deliverer,
    IAmazonSQS sqs,
    WebhookReadersHealth health,
    ILoggerFactory loggers,
    TimeProvider time) : BackgroundService
{
    public static readonly TimeSpan RestartDelay = TimeSpan.FromSeconds(5);

    private readonly ILogger _logger = loggers.CreateLogger<WebhookReaders>();
    private readonly SemaphoreSlim _changed = new(0);
    private readonly Dictionary<string, Running> _running = new(StringComparer.Ordinal);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        definitions.Changed += OnChanged;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                await ApplyAsync(definitions.Current, stoppingToken);
                try
                {
                    await _changed.WaitAsync(stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    break;
                }
            }
        }
        finally
        {
            definitions.Changed -= OnChanged;
            await Task.WhenAll(_running.Values.Select(StopAsync));
            _running.Clear();
        }
    }

    private void OnChanged(SystemDefinition definition) => _changed.Release();

    /// <summary>Stops the readers of subscriptions gone or changed, starts those of subscriptions new or changed.</summary>
    private async Task ApplyAsync(SystemDefinition definition, CancellationToken stoppingToken)
    {
        var wanted = definition.Subscriptions.Where(s => s is { IsWebhook: true, Id: not null })
            .ToDictionary(s => s.Id!, StringComparer.Ordinal);
        foreach (var (id, running) in _running.Where(r => !wanted.TryGetValue(r.Key, out var s) || !SameDelivery(s, r.Value.Subscription)).ToList())
        {
            await StopAsync(running);
            _running.Remove(id);
            health.Stopped(id);
            LogStopped(id);
        }

        foreach (var (id, subscription) in wanted.Where(w => !_running.ContainsKey(w.Key)))
        {
            var stop = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
            var reader = new WebhookQueueReader(deliverer, sqs, definition, loggers.CreateLogger<WebhookQueueReader>(), time);
            var queue = WebhookNames.Queue(definition, id);
            health.Started(id);
            LogStarted(id, queue, subscription.Endpoint);
            _running[id] = new Running(subscription, stop, Task.Run(() => SuperviseAsync(reader, subscription, stop.Token), CancellationToken.None));
        }

        health.Count(_running.Count);
    }

    private async Task SuperviseAsync(WebhookQueueReader reader, SubscriptionDefinition subscription, CancellationToken stop)
    {
        var id = subscription.Id!;
        while (!stop.IsCancellationRequested)
        {
            try
            {
                await reader.RunAsync(subscription, stop);
            }
            catch (Exception e) when (!stop.IsCancellationRequested)
            {
                health.Failed(id, e.Message);
                LogReaderFailed(e, id, RestartDelay.TotalSeconds);
            }

            try
            {
                await Task.Delay(RestartDelay, time, stop);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static async Task StopAsync(Running running)
    {
        await running.Stop.CancelAsync();
        await running.Task;
        running.Stop.Dispose();
    }

    /// <summary>Whether a reader started for <paramref name="before"/> delivers as <paramref name="after"/> asks
    /// (a filter policy compared by its text: a reloaded definition has new JSON elements).</summary>
    internal static bool SameDelivery(SubscriptionDefinition after, SubscriptionDefinition before) =>
        after with { FilterPolicy = null } == before with { FilterPolicy = null }
        && after.FilterPolicy?.GetRawText() == before.FilterPolicy?.GetRawText();

    public override void Dispose()
    {
        _changed.Dispose();
        base.Dispose();
    }

    private sealed record Running(SubscriptionDefinition Subscription, CancellationTokenSource Stop, Task Task);

    [LoggerMessage(Level = LogLevel.Information, Message = "Delivering webhook subscription {SubscriptionId}: queue {Queue} to {Endpoint}")]
    private partial void LogStarted(string subscriptionId, string queue, string endpoint);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stopped delivering webhook subscription {SubscriptionId} (removed or changed in the definition)")]
    private partial void LogStopped(string subscriptionId);

    [LoggerMessage(Level = LogLevel.Error, Message = "The queue reader of webhook subscription {SubscriptionId} failed; starting it again in {Seconds} s")]
    private partial void LogReaderFailed(Exception exception, string subscriptionId, double seconds);
}
