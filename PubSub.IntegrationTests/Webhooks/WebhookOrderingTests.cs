using System.Globalization;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using PubSub.Definition;
using PubSub.IntegrationTests.Infrastructure;
using PubSub.Webhooks.Signing;
using PubSub.Webhooks.Worker;
using Xunit.Abstractions;

namespace PubSub.IntegrationTests.Webhooks;

/// <summary><c>ordering: partitionkey</c> end to end: fauxqs queues and DynamoDB Local tables made for each test, real
/// Kestrel receivers, the delivery core as the local worker runs it (docs/webhooks-delivery.md, "Ordering").</summary>
[Collection(AwsEmulatorsCollection.Name)]
public sealed class WebhookOrderingTests(AwsEmulatorsFixture aws, ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    /// <summary>What the receiver saw of one request: the event's key and number, when, and what it answered.</summary>
    private sealed record Request(string Key, int Number, string WebhookId, long At, DateTimeOffset Wall, int Status);

    /// <summary>A receiver that records every request, answers 503 with <c>Retry-After: 3</c> to the first
    /// <paramref name="failures"/> requests of <paramref name="failingKey"/>, 200 to everything else, and counts how many
    /// requests of one key were ever in flight at once.</summary>
    private sealed class OrderedReceiver(string? failingKey, int failures)
    {
        private readonly ConcurrentDictionary<string, int> _inFlight = new();
        private int _failed;

        public ConcurrentQueue<Request> Requests { get; } = new();

        public int MostInFlightPerKey;

        public async Task HandleAsync(HttpContext context)
        {
            var received = LastSeen(context);
            var key = received.GetProperty("partitionkey").GetString()!;
            var number = received.GetProperty("data").GetProperty("n").GetInt32();
            var inFlight = _inFlight.AddOrUpdate(key, 1, (_, n) => n + 1);
            InterlockedMax(ref MostInFlightPerKey, inFlight);
            try
            {
                await Task.Delay(20); // a receiver that takes a moment: two requests of a key in flight at once would overlap
                var fail = key == failingKey && Interlocked.Increment(ref _failed) <= failures;
                context.Response.StatusCode = fail ? 503 : 200;
                if (fail)
                {
                    context.Response.Headers.RetryAfter = "3";
                }

                Requests.Enqueue(new Request(key, number, context.Request.Headers[WebhookHeaderNames.Id].ToString(), Stopwatch.GetTimestamp(),
                    DateTimeOffset.UtcNow, context.Response.StatusCode));
            }
            finally
            {
                _inFlight.AddOrUpdate(key, 0, (_, n) => n - 1);
            }
        }

        public LoopbackReceiver? Receiver { get; set; }

        /// <summary>This request's body, as <see cref="LoopbackReceiver"/> kept it (one request at a time per connection).</summary>
        private JsonElement LastSeen(HttpContext context) =>
            JsonDocument.Parse(Receiver!.Seen.Last(s => s.ConnectionId == context.Connection.Id).Body).RootElement;

        private static void InterlockedMax(ref int target, int value)
        {
            for (var current = Volatile.Read(ref target); value > current; current = Volatile.Read(ref target))
            {
                Interlocked.CompareExchange(ref target, value, current);
            }
        }
    }

    private static string Event(string eventId, string key, int number) => new JsonObject
    {
        ["specversion"] = "1.0",
        ["id"] = eventId,
        ["source"] = "test",
        ["type"] = "order.updated",
        ["time"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
        ["partitionkey"] = key,
        ["publisher"] = "demo",
        ["data"] = new JsonObject { ["n"] = number },
    }.ToJsonString();

    private static async Task<(OrderedReceiver Handler, LoopbackReceiver Receiver)> StartReceiverAsync(string? failingKey = null, int failures = 0)
    {
        var handler = new OrderedReceiver(failingKey, failures);
        var receiver = await LoopbackReceiver.StartAsync(handler.HandleAsync);
        handler.Receiver = receiver;
        return (handler, receiver);
    }

    /// <summary>Per key, the event numbers in the order their requests arrived (retries repeat a number).</summary>
    private static Dictionary<string, List<int>> NumbersByKey(IEnumerable<Request> requests) =>
        requests.GroupBy(r => r.Key).ToDictionary(g => g.Key, g => g.Select(r => r.Number).ToList());

    [Fact]
    public async Task Partitionkey_ordering_holds_under_concurrent_publishing_with_one_failing_key()
    {
        await using var harness = await WebhookDeliveryHarness.CreateAsync(aws);
        var (handler, receiver) = await StartReceiverAsync("bad", failures: 3);
        await using var _ = receiver;
        var (subscription, queue, deadLetters) = await harness.AddSubscriptionAsync("ordered", receiver.Url(), ordering: "partitionkey");
        // Two readers on the one queue, as the event source mapping runs several batches of a queue at once.
        harness.Start([subscription, subscription]);
        string[] keys = ["bad", "k1", "k2", "k3"];
        const int perKey = 5;
        var run = Guid.NewGuid().ToString("N")[..8];
        var started = Stopwatch.GetTimestamp();

        // Each key's events in sequence (the next sent once the previous is queued), the keys concurrently.
        await Task.WhenAll(keys.Select(key => Task.Run(async () =>
        {
            for (var n = 1; n <= perKey; n++)
            {
                await harness.SendAsync(queue, $"{run}-{key}-{n}", body: Event($"{run}-{key}-{n}", key, n));
            }
        })));

        Assert.True(WebhookDeliveryHarness.Eventually(() =>
            handler.Requests.Where(r => r.Status == 200).Select(r => (r.Key, r.Number)).Distinct().Count() == keys.Length * perKey, Patience),
            $"{handler.Requests.Count(r => r.Status == 200)} deliveries of {keys.Length * perKey}");
        var requests = handler.Requests.ToList();
        foreach (var (key, numbers) in NumbersByKey(requests))
        {
            output.WriteLine($"{key}: {string.Join(' ', numbers)}");
        }

        // In order: per key, the numbers of its requests (retries included) never go back.
        Assert.All(NumbersByKey(requests), k => Assert.Equal(k.Value.Order(), k.Value));
        Assert.Equal(1, handler.MostInFlightPerKey);
        // Nothing lost; a repeat is the same event under the same webhook-id.
        var delivered = requests.Where(r => r.Status == 200).ToList();
        Assert.Equal(keys.SelectMany(k => Enumerable.Range(1, perKey).Select(n => (k, n))).Order(),
            delivered.Select(r => (r.Key, r.Number)).Distinct().Order());
        Assert.All(delivered, r => Assert.Equal(WebhookMessage.WebhookIdOf("demo", $"{run}-{r.Key}-{r.Number}"), r.WebhookId));
        Assert.Equal(3, requests.Count(r => r.Status == 503));
        Assert.All(requests.Where(r => r.Status == 503), r => Assert.Equal(("bad", 1), (r.Key, r.Number)));

        // The failing key held back only itself: every healthy key finished before its first event got through.
        double Seconds(long at) => Stopwatch.GetElapsedTime(started, at).TotalSeconds;
        var done = keys.ToDictionary(k => k, k => Seconds(delivered.Where(r => r.Key == k).Max(r => r.At)));
        var badFirstThrough = Seconds(delivered.First(r => r.Key == "bad").At);
        output.WriteLine($"done after (s): {string.Join(", ", done.Select(d => $"{d.Key} {d.Value:0.00}"))}; bad's first 200 at {badFirstThrough:0.00} s");
        Assert.All(keys.Skip(1), k => Assert.True(done[k] < badFirstThrough, $"{k} finished at {done[k]:0.00} s, after bad's first success"));
        Assert.True(badFirstThrough >= 6, $"bad's first event went through after {badFirstThrough:0.00} s, sooner than its three 3 s waits");
        Assert.Empty(await harness.ReceiveAsync(deadLetters, 1, TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task Two_batches_of_one_key_delivered_by_two_concurrent_calls_keep_the_order()
    {
        await using var harness = await WebhookDeliveryHarness.CreateAsync(aws);
        var (handler, receiver) = await StartReceiverAsync();
        await using var _ = receiver;
        var (subscription, queue, _) = await harness.AddSubscriptionAsync("batches", receiver.Url(), ordering: "partitionkey");
        var deliverer = harness.Start([]);
        var run = Guid.NewGuid().ToString("N")[..8];
        for (var n = 1; n <= 4; n++)
        {
            await harness.SendAsync(queue, $"{run}-{n}", body: Event($"{run}-{n}", "k", n));
            await Task.Delay(5); // distinct times
        }

        var messages = (await harness.ReceiveAsync(queue, 4, Patience))
            .Select(m => new QueuedDelivery(m.MessageId, m.ReceiptHandle, m.Body, new Dictionary<string, string>(), DateTimeOffset.UtcNow, 1))
            .ToDictionary(m => JsonDocument.Parse(m.Body).RootElement.GetProperty("data").GetProperty("n").GetInt32());
        Assert.Equal(4, messages.Count);

        // The later events' batch starts first; the earlier one a moment later, within the settle window.
        var later = deliverer.DeliverAsync(subscription, queue, [messages[4], messages[3]], CancellationToken.None);
        await Task.Delay(300);
        var earlier = deliverer.DeliverAsync(subscription, queue, [messages[2], messages[1]], CancellationToken.None);
        var results = await Task.WhenAll(later, earlier);

        Assert.All(results, r => Assert.Empty(r.MessageIdsToKeep));
        Assert.Equal([1, 2, 3, 4], handler.Requests.Select(r => r.Number));
    }

    [Fact]
    public async Task A_key_left_by_a_crashed_worker_is_free_again_when_its_lease_ends()
    {
        await using var harness = await WebhookDeliveryHarness.CreateAsync(aws);
        var (handler, receiver) = await StartReceiverAsync();
        await using var _ = receiver;
        var (subscription, queue, _) = await harness.AddSubscriptionAsync("crash", receiver.Url(), ordering: "partitionkey");
        var keys = new DynamoDbOrderedKeyStore(aws.DynamoDb, WebhookNames.EndpointsTable(harness.Definition));
        var itemId = DynamoDbOrderedKeyStore.ItemIdOf("crash", "demo", "k");
        // What a worker leaves when it dies mid-attempt: an older event taken, in flight, its lease 4 s from now.
        var now = DateTimeOffset.UtcNow;
        var leaseEnd = now + TimeSpan.FromSeconds(4);
        var crashed = OrderedKeyRules.Take(OrderedKeyRules.Register(OrderedKeyState.Empty, [("msg_crashed", OrderedKeyRules.OrderKeyOf(now.AddMinutes(-1), now))],
            now - TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(9)), "msg_crashed", "dead-worker", now, TimeSpan.FromSeconds(4));
        Assert.True(await keys.TryReplaceAsync(itemId, "crash", OrderedKeyState.Empty, crashed, now, CancellationToken.None));
        harness.Start([subscription]);
        var eventId = "evt-" + Guid.NewGuid().ToString("N");

        await harness.SendAsync(queue, eventId, body: Event(eventId, "k", 1));

        Assert.True(WebhookDeliveryHarness.Eventually(() => !handler.Requests.IsEmpty, Patience), "the key stayed held");
        var deliveredAt = Assert.Single(handler.Requests).Wall;
        output.WriteLine($"delivered {(deliveredAt - leaseEnd).TotalSeconds:0.00} s after the lease ended");
        Assert.True(deliveredAt >= leaseEnd, "delivered while the crashed worker's lease still held the key");
        Assert.True(await WebhookDeliveryHarness.EventuallyAsync(async () =>
            (await keys.GetAsync(itemId, CancellationToken.None)).Entries.Count == 0, Patience), "the key still holds entries");
        var state = await keys.GetAsync(itemId, CancellationToken.None);
        Assert.NotNull(state.Last);
        // The subscription's own item (its circuit, for pubsub webhooks list) is untouched by the key's.
        Assert.Equal("enabled", (await harness.Endpoints.GetAsync("crash", CancellationToken.None)).ListState);
    }
}
