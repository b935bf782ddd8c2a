using System.Collections.Concurrent;
using System.Text.Json;
using Amazon.SQS;
using Amazon.SQS.Model;

namespace PubSub.IntegrationTests.Faults;

/// <summary>A subscriber: receives and deletes from its queue (raw delivery) all the time, counting
/// every event id it gets, so that duplicates show and nothing waits in the queue for the count.</summary>
internal sealed class SubscriberCollector : IAsyncDisposable
{
    private readonly IAmazonSQS _sqs;
    private readonly string _queueUrl;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receivers;

    public SubscriberCollector(IAmazonSQS sqs, string queueUrl, int receivers = 4)
    {
        _sqs = sqs;
        _queueUrl = queueUrl;
        _receivers = Task.WhenAll(Enumerable.Range(0, receivers).Select(_ => Task.Run(ReceiveAsync)));
    }

    /// <summary>Each event id received, with how many times.</summary>
    public ConcurrentDictionary<string, int> Received { get; } = new(StringComparer.Ordinal);

    public int Deliveries => Received.Values.Sum();

    public int Duplicates => Received.Values.Sum(n => n - 1);

    /// <summary>Waits until every id in <paramref name="ids"/> arrived; false when the time ran out first.</summary>
    public async Task<bool> WaitForAllAsync(IReadOnlyCollection<string> ids, TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (ids.Any(id => !Received.ContainsKey(id)))
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(200);
        }

        return true;
    }

    /// <summary>Keeps receiving until nothing more arrived for <paramref name="quiet"/>, so late duplicates are counted too.</summary>
    public async Task SettleAsync(TimeSpan quiet)
    {
        var seen = -1;
        while (Deliveries != seen)
        {
            seen = Deliveries;
            await Task.Delay(quiet);
        }
    }

    private async Task ReceiveAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var response = await _sqs.ReceiveMessageAsync(new ReceiveMessageRequest
                {
                    QueueUrl = _queueUrl, MaxNumberOfMessages = 10, WaitTimeSeconds = 1,
                }, _stop.Token);
                if (response.Messages is not { Count: > 0 } messages)
                {
                    continue;
                }

                foreach (var message in messages)
                {
                    var id = JsonDocument.Parse(message.Body).RootElement.GetProperty("id").GetString()!;
                    Received.AddOrUpdate(id, 1, (_, n) => n + 1);
                }

                await _sqs.DeleteMessageBatchAsync(new DeleteMessageBatchRequest(_queueUrl,
                    [.. messages.Select((m, i) => new DeleteMessageBatchRequestEntry(i.ToString(System.Globalization.CultureInfo.InvariantCulture), m.ReceiptHandle))]),
                    _stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _receivers;
        _stop.Dispose();
    }
}
