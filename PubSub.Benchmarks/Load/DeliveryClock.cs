using System.Collections.Concurrent;
using System.Diagnostics;

namespace PubSub.Benchmarks.Load;

/// <summary>A receiving end that, for every event whose send time it was told, records how long after the send it
/// arrived: the SQS subscriber (<see cref="SubscriberClock"/>) or the webhook receiver (<see cref="WebhookReceiverClock"/>).</summary>
internal abstract class DeliveryClock
{
    private readonly ConcurrentDictionary<string, long> _sentAt = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(long ReceivedAt, double LatencyMs)> _receipts = new();
    private int _unknown;

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

    /// <summary>Event <paramref name="id"/> arrived at <paramref name="now"/> (a Stopwatch timestamp).</summary>
    protected void Arrived(string id, long now)
    {
        if (_sentAt.TryRemove(id, out var sentAt))
        {
            _receipts.Enqueue((now, Stopwatch.GetElapsedTime(sentAt, now).TotalMilliseconds));
        }
        else
        {
            Interlocked.Increment(ref _unknown);
        }
    }
}
