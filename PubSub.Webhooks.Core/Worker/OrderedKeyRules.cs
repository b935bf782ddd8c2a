using System.Globalization;

namespace PubSub.Webhooks.Worker;

/// <summary>What a message of an ordered key may do now, and the state changes the worker writes: pure functions of a
/// state and a time (docs/webhooks-delivery.md, "Ordering").</summary>
internal static class OrderedKeyRules
{
    /// <summary>How long a message waits after a worker first saw it before it may become its key's head, so that an
    /// older event received at about the same time (another batch, another worker) registers first and goes first.</summary>
    public static readonly TimeSpan Settle = TimeSpan.FromSeconds(1);

    /// <summary>The shortest time a message held back is hidden for (SQS hides for whole seconds, and a receipt costs).</summary>
    public static readonly TimeSpan ShortestHide = TimeSpan.FromSeconds(2);

    /// <summary>How often a message waiting in process reads its key again.</summary>
    public static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    /// <summary>The order key: the CloudEvent's <c>time</c> (the publisher's clock), else the time the worker first saw the
    /// event; as UTC text with seven fraction digits, so that ordinal text order is time order.</summary>
    public static string OrderKeyOf(DateTimeOffset? eventTime, DateTimeOffset firstSeen) =>
        (eventTime ?? firstSeen).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture);

    /// <summary>The turn of event <paramref name="me"/> for the handling <paramref name="token"/>.</summary>
    public static KeyTurn Decide(OrderedKeyState state, string me, string token, DateTimeOffset now, TimeSpan settle)
    {
        var live = state.Entries.Where(e => e.Value.Until >= now).ToList();
        if (live.Find(e => e.Key == me).Value is not { } mine)
        {
            return new KeyTurn(KeyTurnKind.Register, TimeSpan.Zero, false);
        }

        var late = state.Last is { } last && string.CompareOrdinal(mine.Order, last) < 0;
        if (mine.Taken)
        {
            // Parked for its retry (any receipt resumes it), or ours; else another copy of it is in flight (SQS delivers
            // a message twice now and then): wait for that one.
            return mine.Token is null || mine.Token == token ? new KeyTurn(KeyTurnKind.Go, TimeSpan.Zero, late) : Behind(mine, now);
        }

        if (live.Find(e => e.Key != me && e.Value.Taken).Value is { } head)
        {
            return Behind(head, now);
        }

        var oldest = live.OrderBy(e => e.Value.Order, StringComparer.Ordinal).ThenBy(e => e.Key, StringComparer.Ordinal).First();
        if (oldest.Key != me)
        {
            return Behind(oldest.Value, now);
        }

        var unsettled = mine.RegisteredAt + settle - now;
        return unsettled > TimeSpan.Zero
            ? new KeyTurn(KeyTurnKind.WaitHere, unsettled, false)
            : new KeyTurn(KeyTurnKind.Go, TimeSpan.Zero, late);
    }

    /// <summary>The events of <paramref name="events"/> are in a worker's hands until <c>now + lease</c>: added when
    /// absent (or stale), else refreshed; stale entries of other events are dropped.</summary>
    public static OrderedKeyState Register(OrderedKeyState state, IEnumerable<(string Id, string Order)> events, DateTimeOffset now, TimeSpan lease)
    {
        var entries = Pruned(state, now);
        foreach (var (id, order) in events)
        {
            entries[id] = entries.TryGetValue(id, out var entry)
                ? entry with { Until = Max(entry.Until, now + lease), Due = null }
                : new OrderedEntry(order, now, now + lease, null, false, null);
        }

        return state with { Entries = entries };
    }

    /// <summary><paramref name="me"/> becomes (or stays) the head, in flight for <paramref name="token"/>.</summary>
    public static OrderedKeyState Take(OrderedKeyState state, string me, string token, DateTimeOffset now, TimeSpan lease)
    {
        var entries = Pruned(state, now);
        entries[me] = entries[me] with { Taken = true, Token = token, Due = null, Until = now + lease };
        return state with { Entries = entries };
    }

    /// <summary><paramref name="me"/>'s message is hidden until <paramref name="due"/>: a head keeps the key (parked,
    /// resumed by the message's next receipt), any other event keeps its place.</summary>
    public static OrderedKeyState Park(OrderedKeyState state, string me, DateTimeOffset due, DateTimeOffset now, TimeSpan lease)
    {
        var entries = Pruned(state, now);
        if (entries.TryGetValue(me, out var entry))
        {
            entries[me] = entry with { Token = null, Due = due, Until = due + lease };
        }

        return state with { Entries = entries };
    }

    /// <summary><paramref name="me"/> left the queue (delivered, a duplicate, dead-lettered): the next event may go.</summary>
    public static OrderedKeyState Finish(OrderedKeyState state, string me, string order, DateTimeOffset now)
    {
        var entries = Pruned(state, now);
        entries.Remove(me);
        var last = state.Last is { } previous && string.CompareOrdinal(previous, order) >= 0 ? previous : order;
        return state with { Entries = entries, Last = last };
    }

    /// <summary>Waits behind <paramref name="entry"/>: in process while it is in a worker's hands; hidden until it is due
    /// back while its message is hidden. Never in process for a message on the queue: the workers waiting would be the
    /// ones that should receive it.</summary>
    private static KeyTurn Behind(OrderedEntry entry, DateTimeOffset now) =>
        entry.Due is { } due
            ? new KeyTurn(KeyTurnKind.Hide, due - now > ShortestHide ? due - now : ShortestHide, false)
            : new KeyTurn(KeyTurnKind.WaitHere, Poll, false);

    private static Dictionary<string, OrderedEntry> Pruned(OrderedKeyState state, DateTimeOffset now) =>
        state.Entries.Where(e => e.Value.Until >= now).ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);

    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}

internal enum KeyTurnKind
{
    /// <summary>Deliver it now (it is its key's head).</summary>
    Go,

    /// <summary>Wait in process for <see cref="KeyTurn.Wait"/>, then ask again.</summary>
    WaitHere,

    /// <summary>Hide the message for <see cref="KeyTurn.Wait"/> (its key's head waits for a retry).</summary>
    Hide,

    /// <summary>The event is not (or no longer) on its key: register it, then ask again.</summary>
    Register,
}

/// <param name="Late">Going now, but an event of its key with a later order key already finished.</param>
internal readonly record struct KeyTurn(KeyTurnKind Kind, TimeSpan Wait, bool Late);
