namespace PubSub.WebhookDemo.Receiving;

/// <summary>The last deliveries received (for <c>GET /received</c>) and the ids already handled, so a
/// retried delivery is acknowledged but handled once. Only verified ids are remembered: an unsigned
/// request must not be able to make a genuine delivery look like a duplicate.</summary>
public sealed class ReceivedWebhooks(ReceiverSettings settings)
{
    /// <summary>The ids remembered for deduplication: far more than a retry schedule can overlap.</summary>
    public const int RememberedIds = 10_000;

    private readonly Lock _lock = new();
    private readonly Queue<ReceivedWebhook> _last = new();
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly Queue<string> _seenOrder = new();

    /// <summary>Records a verified delivery; false when its id was handled before.</summary>
    public bool TryAccept(string id)
    {
        lock (_lock)
        {
            if (!_seen.Add(id))
            {
                return false;
            }

            _seenOrder.Enqueue(id);
            if (_seenOrder.Count > RememberedIds)
            {
                _seen.Remove(_seenOrder.Dequeue());
            }

            return true;
        }
    }

    public void Record(ReceivedWebhook received)
    {
        lock (_lock)
        {
            _last.Enqueue(received);
            while (_last.Count > settings.KeepLast)
            {
                _last.Dequeue();
            }
        }
    }

    /// <summary>Newest first.</summary>
    public IReadOnlyList<ReceivedWebhook> Last()
    {
        lock (_lock)
        {
            return [.. _last.Reverse()];
        }
    }
}
