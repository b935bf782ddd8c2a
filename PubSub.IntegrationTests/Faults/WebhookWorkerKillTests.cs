using System.Text.Json;
using System.Text.Json.Nodes;
using PubSub.Definition;
using PubSub.IntegrationTests.Infrastructure;
using PubSub.Webhooks.Worker;

namespace PubSub.IntegrationTests.Faults;

/// <summary>The webhook delivery worker killed (SIGKILL) in the middle of a batch, and started again, while publishers
/// send through the whole path (ingestion, table, stream publisher, SNS, the subscription's queue): the worker deletes a
/// message only after its delivery was answered, so every accepted event reaches the receiver, and only what the batch
/// in hand had delivered without recording it can come twice.</summary>
public sealed class WebhookWorkerKillTests
{
    /// <summary>The repository's webhook subscription (<c>pubsub.json</c>), pointed at the test's receiver.</summary>
    private const string SubscriptionId = "demo";

    /// <summary>Messages per receive of the local queue reader (<see cref="WebhookQueueReader.MaxMessages"/>).</summary>
    private const int BatchSize = 10;

    /// <summary>An attempt's timeout: the batch in hand at the kill comes back after it plus 60 s (the reader's
    /// visibility timeout), so it is short; and longer than the test takes to kill the worker once a delivery is held.</summary>
    private const int TimeoutSeconds = 5;

    [Fact]
    public async Task A_killed_webhook_worker_loses_nothing_and_repeats_at_most_the_batch_in_hand()
    {
        var directory = Directory.CreateTempSubdirectory("pubsub-webhook-kill-").FullName;
        try
        {
            var secretsFile = Path.Combine(directory, "webhook-secrets.json");
            await using var receiver = await WebhookCollector.StartAsync(new LocalWebhookSecretSource(secretsFile).Add(SubscriptionId));
            var definition = WriteDefinition(directory, receiver.Url);
            await using var stack = await FaultStack.StartAsync(definition: definition);
            var worker = await StartWorkerAsync(stack, definition, secretsFile);
            try
            {
                var load = new PublisherLoad(stack.Ingestion.BaseUrl, FaultStack.ApiKey, concurrency: 4, pause: TimeSpan.FromMilliseconds(10));
                await load.WaitForAcceptedAsync(150, TimeSpan.FromSeconds(60));
                await EventuallyAsync(() => receiver.Received.Count >= 50, TimeSpan.FromSeconds(60), "deliveries under way");

                // The next delivery gets no answer: its batch cannot finish, and the worker dies while it waits.
                receiver.HoldNext();
                var held = await receiver.Held.WaitAsync(TimeSpan.FromSeconds(60));
                await worker.KillAsync();
                var deliveredAtKill = receiver.Received.Count;
                await load.WaitForAcceptedAsync(load.Accepted.Count + 150, TimeSpan.FromSeconds(60)); // queued while no worker runs
                worker = await StartWorkerAsync(stack, definition, secretsFile);
                await load.WaitForAcceptedAsync(load.Accepted.Count + 150, TimeSpan.FromSeconds(60));
                await load.StopAsync();

                var accepted = load.Accepted.ToHashSet(StringComparer.Ordinal);
                var expected = accepted.Select(WebhookIdOf).ToHashSet(StringComparer.Ordinal);
                // The batch in hand comes back after its visibility timeout (the attempt's timeout plus 60 s).
                var allArrived = await SubscriberCollector.WaitForAllAsync(receiver.Received, expected, TimeSpan.FromSeconds(150));
                await SubscriberCollector.SettleAsync(receiver.Received, TimeSpan.FromSeconds(2));

                var accounting = await Accounting.CountAsync("webhook worker killed", load, stack, receiver.Received, WebhookIdOf,
                    await stack.QueueDepthAsync(stack.QueueUrls[WebhookNames.DeadLetterQueue(stack.Definition, SubscriptionId)]), replayed: 0);
                Console.WriteLine($"{accounting}; delivered before the kill {deliveredAtKill}, held delivery cut by the kill {receiver.Cut}, " +
                                  $"signatures refused {receiver.Refused}, batch {BatchSize} messages");
                Assert.True(allArrived, accounting + System.Environment.NewLine + worker.Output);
                Assert.Equal(1, receiver.Cut); // the kill landed while a delivery of the batch was in flight
                Assert.Equal(1, receiver.Received.GetValueOrDefault(held)); // ... and that event came again, once
                Assert.Equal(0, accounting.Lost);
                Assert.InRange(accounting.Duplicates, 0, BatchSize);
                Assert.Equal(0, accounting.DeadLettered);
                Assert.Equal(0, receiver.Refused);
                Assert.Equal(accepted.Count, accounting.Stored);
                Assert.All(receiver.Received.Keys, id => Assert.Contains(id, expected)); // nothing unacknowledged was delivered
            }
            finally
            {
                await worker.DisposeAsync();
            }
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static string WebhookIdOf(string eventId) => WebhookMessage.WebhookIdOf("demo", eventId);

    private static async Task<ServiceProcess> StartWorkerAsync(FaultStack stack, string definition, string secretsFile)
    {
        var worker = await ServiceProcess.StartWebhookDeliveryAsync(stack.Environment, definition, secretsFile);
        return await worker.HealthyAsync() ? worker : throw new InvalidOperationException("The webhook worker did not start: " + worker.Output);
    }

    private static async Task EventuallyAsync(Func<bool> condition, TimeSpan timeout, string what)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (!condition())
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"No {what} within {timeout.TotalSeconds} s.");
            }

            await Task.Delay(20);
        }
    }

    /// <summary>The repository's definition with its webhook subscription sent to <paramref name="receiver"/>, a short
    /// attempt timeout and a rate limit the load stays under (the limit is not what is tested).</summary>
    private static string WriteDefinition(string directory, Uri receiver)
    {
        var root = JsonNode.Parse(File.ReadAllText(TestEvents.Definition), documentOptions: new JsonDocumentOptions
        {
            CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true,
        })!.AsObject();
        var webhook = root["subscriptions"]!.AsArray().Single(s => (string?)s!["id"] == SubscriptionId)!.AsObject();
        webhook["endpoint"] = receiver.ToString();
        webhook["timeoutSeconds"] = TimeoutSeconds;
        webhook["rateLimit"] = 1000;
        var path = Path.Combine(directory, "pubsub.json");
        File.WriteAllText(path, root.ToJsonString());
        return path;
    }
}
