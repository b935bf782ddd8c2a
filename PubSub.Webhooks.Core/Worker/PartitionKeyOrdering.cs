using PubSub.Aws;
using PubSub.Definition;

namespace PubSub.Webhooks.Worker;

/// <summary>Delivers a batch of a subscription with <c>ordering: partitionkey</c>: the events of one key (subscription,
/// publisher, <c>partitionkey</c>) one at a time, oldest first, and the key's head, while it waits for a retry, holds
/// back that key only. Events without a <c>partitionkey</c> go as any subscription's. The coordination is the key's
/// item in the endpoints table (<see cref="DynamoDbOrderedKeyStore"/>, rules in <see cref="OrderedKeyRules"/>), so that
/// concurrent batches, workers and Lambda instances agree (docs/webhooks-delivery.md, "Ordering").</summary>
internal sealed partial class PartitionKeyOrdering(DynamoDbOrderedKeyStore store, WebhookDeliveryMetrics metrics, TimeProvider time,
    ILogger<PartitionKeyOrdering> logger)
{
    /// <summary>How long a batch waits in process for its keys' turns before it hides what is left.</summary>
    private static readonly TimeSpan WaitBudget = TimeSpan.FromSeconds(30);

    /// <summary>Tries at one change of a key's item before the message is left for its visibility timeout.</summary>
    private const int MaxWrites = 50;

    /// <summary>The settle window (<see cref="OrderedKeyRules.Settle"/>).</summary>
    internal TimeSpan Settle { get; init; } = OrderedKeyRules.Settle;

    /// <summary>How long an event stays on its key without news from its message: longer than a message held by a worker
    /// that died stays invisible (the webhook queues' visibility timeout in AWS, 180 s; the local reader's, the attempt's
    /// timeout plus 60 s), so that it is back before its place lapses. A worker that dies holding a key holds it that
    /// long at most.</summary>
    internal static TimeSpan LeaseOf(SubscriptionDefinition subscription) =>
        Max(WebhookQueues.VisibilityTimeout, WebhookBatchDeliverer.TimeoutOf(subscription) + TimeSpan.FromSeconds(60)) + TimeSpan.FromMinutes(1);

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <param name="handle">Delivers one message as an unordered subscription would; true when it stays on the queue.</param>
    /// <param name="comesBack">When a message that <paramref name="handle"/> or <paramref name="hide"/> hid comes back.</param>
    /// <param name="hide">Hides a message held back by its key.</param>
    /// <returns>Per message, true when it stays on the queue.</returns>
    public async Task<bool[]> DeliverAsync(SubscriptionDefinition subscription, IReadOnlyList<QueuedDelivery> messages,
        Func<QueuedDelivery, Task<bool>> handle, Func<QueuedDelivery, DateTimeOffset?> comesBack,
        Func<QueuedDelivery, TimeSpan, DateTimeOffset, Task<bool>> hide, CancellationToken cancellationToken)
    {
        var receivedAt = time.GetUtcNow();
        var keep = new bool[messages.Count];
        var keys = new Dictionary<string, List<Ordered>>(StringComparer.Ordinal);
        var work = new List<Task>();
        for (var i = 0; i < messages.Count; i++)
        {
            var index = i;
            if (WebhookMessage.TryRead(messages[i], out _) is { PartitionKey: { } key } parsed)
            {
                var itemId = DynamoDbOrderedKeyStore.ItemIdOf(subscription.Id!, parsed.Publisher, key);
                if (!keys.TryGetValue(itemId, out var list))
                {
                    keys[itemId] = list = [];
                }

                list.Add(new Ordered(i, messages[i], parsed.WebhookId, OrderedKeyRules.OrderKeyOf(parsed.Time, receivedAt)));
            }
            else
            {
                // No key (or malformed: dead-lettered as any subscription's): unordered.
                work.Add(Task.Run(async () => keep[index] = await handle(messages[index]), cancellationToken));
            }
        }

        var turn = new Turn(subscription, handle, comesBack, hide, receivedAt, LeaseOf(subscription), cancellationToken);
        work.AddRange(keys.Select(k => DeliverKeyAsync(turn, k.Key, k.Value, keep)));
        await Task.WhenAll(work);
        return keep;
    }

    /// <summary>One key's messages of the batch: all registered at once (so that another batch's later events wait for
    /// them), then each in order.</summary>
    private async Task DeliverKeyAsync(Turn turn, string itemId, List<Ordered> messages, bool[] keep)
    {
        messages.Sort((a, b) => string.CompareOrdinal(a.Order, b.Order) is var c && c != 0 ? c : string.CompareOrdinal(a.WebhookId, b.WebhookId));
        var id = turn.Subscription.Id!;
        try
        {
            await ChangeAsync(turn, itemId, (state, now) => OrderedKeyRules.Register(state, messages.Select(m => (m.WebhookId, m.Order)), now, turn.Lease));
        }
        catch (Exception e) when (AwsErrors.IsCallFailure(e, turn.CancellationToken) || e is InvalidOperationException)
        {
            // Nothing is sent out of order: the messages come back after their visibility timeout.
            LogKeyFailed(e, id, itemId);
            messages.ForEach(m => keep[m.Index] = true);
            return;
        }

        foreach (var message in messages)
        {
            try
            {
                keep[message.Index] = await DeliverInTurnAsync(turn, itemId, message);
            }
            catch (Exception e) when (AwsErrors.IsCallFailure(e, turn.CancellationToken) || e is InvalidOperationException)
            {
                LogKeyFailed(e, id, itemId);
                keep[message.Index] = true;
            }
        }
    }

    /// <summary>Waits for the message's turn, then delivers it; true when it stays on the queue.</summary>
    private async Task<bool> DeliverInTurnAsync(Turn turn, string itemId, Ordered message)
    {
        var token = Guid.NewGuid().ToString("N");
        var id = turn.Subscription.Id!;
        while (true)
        {
            var now = time.GetUtcNow();
            var state = await store.GetAsync(itemId, turn.CancellationToken);
            var next = OrderedKeyRules.Decide(state, message.WebhookId, token, now, Settle);
            switch (next.Kind)
            {
                case KeyTurnKind.Register:
                    await store.TryReplaceAsync(itemId, id, state,
                        OrderedKeyRules.Register(state, [(message.WebhookId, message.Order)], now, turn.Lease), now, turn.CancellationToken);
                    continue;
                case KeyTurnKind.WaitHere when now + next.Wait < turn.ReceivedAt + WaitBudget:
                    await Task.Delay(next.Wait, time, turn.CancellationToken);
                    continue;
                case KeyTurnKind.WaitHere or KeyTurnKind.Hide:
                    // Back a little after the event it waits for (SQS rounds up to whole seconds anyway).
                    var wait = next.Kind == KeyTurnKind.Hide ? next.Wait + TimeSpan.FromSeconds(Random.Shared.NextDouble()) : OrderedKeyRules.ShortestHide;
                    await turn.Hide(message.Delivery, wait, turn.ReceivedAt);
                    await SettleAsync(turn, itemId, message, stays: true);
                    return true;
            }

            if (!await store.TryReplaceAsync(itemId, id, state, OrderedKeyRules.Take(state, message.WebhookId, token, now, turn.Lease), now,
                    turn.CancellationToken))
            {
                continue; // another worker changed the key first: read it again
            }

            if (next.Late)
            {
                metrics.OutOfOrder(id);
                LogLate(id, message.WebhookId, message.Order, state.Last);
            }

            var stays = await turn.Handle(message.Delivery);
            await SettleAsync(turn, itemId, message, stays);
            return stays;
        }
    }

    /// <summary>After the message's handling: parked until it comes back (a head keeps its key), or finished.</summary>
    private async Task SettleAsync(Turn turn, string itemId, Ordered message, bool stays)
    {
        var back = turn.ComesBack(message.Delivery);
        try
        {
            await ChangeAsync(turn, itemId, (state, now) => stays
                ? OrderedKeyRules.Park(state, message.WebhookId, back ?? now + turn.Lease, now, turn.Lease)
                : OrderedKeyRules.Finish(state, message.WebhookId, message.Order, now));
        }
        catch (Exception e) when (AwsErrors.IsCallFailure(e, turn.CancellationToken) || e is InvalidOperationException)
        {
            // The entry stays as it was, in flight, until its lease ends; the key goes on after that.
            LogKeyFailed(e, turn.Subscription.Id!, itemId);
        }
    }

    private async Task ChangeAsync(Turn turn, string itemId, Func<OrderedKeyState, DateTimeOffset, OrderedKeyState> change)
    {
        for (var tries = 0; tries < MaxWrites; tries++)
        {
            var now = time.GetUtcNow();
            var state = await store.GetAsync(itemId, turn.CancellationToken);
            if (await store.TryReplaceAsync(itemId, turn.Subscription.Id!, state, change(state, now), now, turn.CancellationToken))
            {
                return;
            }
        }

        throw new InvalidOperationException($"The ordered key {itemId} changed {MaxWrites} times under us");
    }

    private sealed record Ordered(int Index, QueuedDelivery Delivery, string WebhookId, string Order);

    private sealed record Turn(SubscriptionDefinition Subscription, Func<QueuedDelivery, Task<bool>> Handle,
        Func<QueuedDelivery, DateTimeOffset?> ComesBack, Func<QueuedDelivery, TimeSpan, DateTimeOffset, Task<bool>> Hide,
        DateTimeOffset ReceivedAt, TimeSpan Lease, CancellationToken CancellationToken);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Webhook subscription {SubscriptionId}: the ordered key {ItemId} could not be read or written; its messages come back later")]
    private partial void LogKeyFailed(Exception exception, string subscriptionId, string itemId);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Webhook subscription {SubscriptionId}: event {WebhookId} (order {Order}) is delivered late: an event of its key ordered {Last} went before it")]
    private partial void LogLate(string subscriptionId, string webhookId, string order, string? last);
}
