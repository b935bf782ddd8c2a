using System.Collections.Concurrent;
using System.Runtime.CompilerServices;

namespace PubSub.Ingestion.Hosting;

/// <summary>Counts each publisher's requests in flight, so that one publisher's burst of slow uploads
/// cannot hold the host's memory and threads for everyone: past the limit a request is refused at once.</summary>
public sealed class InFlightLimiter(HostLimits limits)
{
    private readonly ConcurrentDictionary<string, StrongBox<int>> _counts = new(StringComparer.Ordinal);

    public int Limit => limits.RequestsInFlightPerPublisher;

    /// <summary>A lease to dispose when the request is answered, or null when the publisher is at its limit.</summary>
    public Lease? TryEnter(string publisher)
    {
        var count = _counts.GetOrAdd(publisher, _ => new StrongBox<int>());
        if (Interlocked.Increment(ref count.Value) > Limit)
        {
            Interlocked.Decrement(ref count.Value);
            return null;
        }

        return new Lease(count);
    }

    public int InFlight(string publisher) => _counts.TryGetValue(publisher, out var count) ? Volatile.Read(ref count.Value) : 0;

    public sealed class Lease(StrongBox<int> count) : IDisposable
    {
        private int _disposed;

        public void Dispose()
        {
            if (Interlocked.Exchange(ref _disposed, 1) == 0)
            {
                Interlocked.Decrement(ref count.Value);
            }
        }
    }
}
