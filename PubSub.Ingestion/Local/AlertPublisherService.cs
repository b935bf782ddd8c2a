using PubSub.Ingestion.Core.Alerts;

namespace PubSub.Ingestion.Local;

/// <summary>Runs the alert publisher for the life of the host, and flushes what is queued at shutdown.</summary>
internal sealed class AlertPublisherService(AlertPublisher publisher) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await publisher.RunAsync(stoppingToken);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // stopping: the rest is flushed below
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        using var grace = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        grace.CancelAfter(TimeSpan.FromSeconds(5));
        await publisher.FlushAsync(grace.Token);
    }
}
