using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Amazon.SQS;
using Amazon.SQS.Model;

namespace PubSub.Benchmarks.Load;

/// <summary>A subscriber that receives and deletes from its queue without pause and, for every event
/// whose send time it was told, records how long after the send it arrived.</summary>
internal sealed class SubscriberClock : IAsyncDisposable
{
    private readonly IAmazonSQS _sqs;
    private readonly string _queueUrl;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receivers;
    private readonly ConcurrentDictionary<string, long> _sentAt = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(long ReceivedAt, double LatencyMs)> _receipts = new();
    private int _unknown;

    public SubscriberClock(IAmazonSQS sqs, string queueUrl, int receivers)
    {
        _sqs = sqs;
        _queueUrl = queueUrl;
        _receivers = Task.WhenAll(Enumerable.Range(0, receivers).Select(_ => Task.Run(ReceiveAsync)));
    }

    /// <summary>Events sent and not received yet.</summary>
    public int Outstanding => _sentAt.Count;

    /// <summary>Messages that were not (or no longer) expected: duplicates and leftovers of an earlier phase.</summary>
    public int Unexpected => _unknown;

    /// <param name="sentAt">A <see cref="Stopwatch"/> timestamp.</param>
    public void Expect(string id, long sentAt) => _sentAt[id] = sentAt;

    public void Forget(string id) => _sentAt.TryRemove(id, out _);

    /// <summary>Receipts since the last call: when (Stopwatch timestamp) and how long after the send.</summary>
    public List<(long ReceivedAt, double LatencyMs)> TakeReceipts()
    {
        var taken = new List<(long, double)>();
        while (_receipts.TryDequeue(out var receipt))
        {
            taken.Add(receipt);
        }

        return taken;
    }

    public async Task<bool> WaitUntilDrainedAsync(TimeSpan timeout)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(timeout.TotalSeconds * Stopwatch.Frequency);
        while (Outstanding > 0 && Stopwatch.GetTimestamp() < deadline)
        {
            await Task.Delay(50);
        }

        return Outstanding == 0;
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
                var now = Stopwatch.GetTimestamp();
                if (response.Messages is not { Count: > 0 } messages)
                {
                    continue;
                }

                foreach (var message in messages)
                {
                    var id = JsonDocument.Parse(message.Body).RootElement.GetProperty("id").GetString()!;
                    if (_sentAt.TryRemove(id, out var sentAt))
                    {
                        _receipts.Enqueue((now, Stopwatch.GetElapsedTime(sentAt, now).TotalMilliseconds));
                    }
                    else
                    {
                        Interlocked.Increment(ref _unknown);
                    }
                }

                await _sqs.DeleteMessageBatchAsync(new DeleteMessageBatchRequest(_queueUrl,
                    [.. messages.Select((m, i) => new DeleteMessageBatchRequestEntry(i.ToString(System.Globalization.CultureInfo.InvariantCulture), m.ReceiptHandle))]),
                    _stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (AmazonSQSException e)
            {
                Console.Error.WriteLine($"subscriber: {e.ErrorCode} {e.Message}");
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
