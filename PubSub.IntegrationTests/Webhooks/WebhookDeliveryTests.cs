using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using PubSub.DeadLetters;
using PubSub.Definition;
using PubSub.IntegrationTests.Infrastructure;
using PubSub.Webhooks.Delivery;
using PubSub.Webhooks.Signing;
using PubSub.Webhooks.Worker;
using Xunit.Abstractions;

namespace PubSub.IntegrationTests.Webhooks;

/// <summary>The webhook delivery core end to end: real fauxqs queues and DynamoDB Local tables made for each test, real
/// Kestrel receivers on loopback, and <see cref="WebhookQueueReader"/> polling as the local worker does.</summary>
[Collection(AwsEmulatorsCollection.Name)]
public sealed class WebhookDeliveryTests(AwsEmulatorsFixture aws, ITestOutputHelper output)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>npm <c>standardwebhooks</c> (the specification's reference library, in a real Node process) verifies what
    /// the receiver got, as a receiver holding <paramref name="secret"/> would.</summary>
    private static async Task AssertNpmVerifiesAsync(WebhookSecret secret, Dictionary<string, string> headers, byte[] body)
    {
        var verified = await NodeCheck.RunAsync(new JsonObject
        {
            ["op"] = "verify",
            ["secret"] = secret.Reveal(),
            ["headers"] = new JsonObject
            {
                [WebhookHeaderNames.Id] = headers[WebhookHeaderNames.Id],
                [WebhookHeaderNames.Timestamp] = headers[WebhookHeaderNames.Timestamp],
                [WebhookHeaderNames.Signature] = headers[WebhookHeaderNames.Signature],
            },
            ["body"] = Convert.ToBase64String(body),
        });
        Assert.True(verified.GetProperty("verified").GetBoolean(), verified.ToString());
    }

    [Fact]
    public async Task A_delivery_is_signed_as_the_reference_library_verifies_and_its_attempt_recorded()
    {
        await using var harness = await WebhookDeliveryHarness.CreateAsync(aws);
        await using var receiver = await LoopbackReceiver.StartAsync(context => { context.Response.StatusCode = 204; return Task.CompletedTask; });
        var (subscription, queue, _) = await harness.AddSubscriptionAsync("signed", receiver.Url());
        harness.Start([subscription]);
        var eventId = "evt-" + Guid.NewGuid().ToString("N");

        var body = await harness.SendAsync(queue, eventId);

        Assert.True(WebhookDeliveryHarness.Eventually(() => !receiver.Seen.IsEmpty, Patience), "nothing was delivered");
        var (_, _, headers, received) = Assert.Single(receiver.Seen);
        Assert.Equal(body, Encoding.UTF8.GetString(received));
        Assert.Equal(WebhookBatchDeliverer.ContentType, headers["Content-Type"]);
        Assert.Equal(WebhookMessage.WebhookIdOf("demo", eventId), headers[WebhookHeaderNames.Id]);
        var secret = Assert.Single(harness.Secrets.Read("signed"));
        await AssertNpmVerifiesAsync(secret, headers, received);
        Assert.True(await WebhookDeliveryHarness.EventuallyAsync(async () =>
            (await harness.Attempts.QueryAsync("demo", eventId, null)).Count == 1, Patience));
        var record = Assert.Single(await harness.Attempts.QueryAsync("demo", eventId, "signed"));
        Assert.Equal((1, 204, AttemptOutcome.Succeeded, (DateTimeOffset?)null),
            (record.Attempt.AttemptNumber, record.Attempt.StatusCode, record.Attempt.Outcome, record.NextAttemptAt));
    }

    [Fact]
    public async Task Two_503s_with_Retry_After_1_then_a_200_deliver_on_the_third_attempt_about_2_s_after_the_first()
    {
        await using var harness = await WebhookDeliveryHarness.CreateAsync(aws);
        var calls = 0;
        var times = new ConcurrentQueue<long>();
        await using var receiver = await LoopbackReceiver.StartAsync(context =>
        {
            times.Enqueue(Stopwatch.GetTimestamp());
            if (Interlocked.Increment(ref calls) <= 2)
            {
                context.Response.StatusCode = 503;
                context.Response.Headers.RetryAfter = "1";
            }

            return Task.CompletedTask;
        });
        var (subscription, queue, _) = await harness.AddSubscriptionAsync("retry", receiver.Url());
        harness.Start([subscription]);
        var eventId = "evt-" + Guid.NewGuid().ToString("N");

        await harness.SendAsync(queue, eventId);

        Assert.True(WebhookDeliveryHarness.Eventually(() => times.Count >= 3, Patience), $"{times.Count} attempts reached the receiver");
        Assert.True(await WebhookDeliveryHarness.EventuallyAsync(async () =>
            (await harness.Attempts.QueryAsync("demo", eventId, "retry")).Count == 3, Patience));
        var attempts = await harness.Attempts.QueryAsync("demo", eventId, "retry");
        Assert.Equal([(1, 503), (2, 503), (3, 200)], attempts.Select(a => (a.Attempt.AttemptNumber, a.Attempt.StatusCode ?? 0)));
        Assert.All(attempts.Take(2), a => Assert.Equal(TimeSpan.FromSeconds(1), a.Attempt.RetryAfter));
        var stamps = times.ToArray();
        var span = Stopwatch.GetElapsedTime(stamps[0], stamps[2]);
        output.WriteLine($"first to third attempt: {span.TotalSeconds:0.000} s (receiver's clock); " +
                         $"gaps {Stopwatch.GetElapsedTime(stamps[0], stamps[1]).TotalSeconds:0.000} s, {Stopwatch.GetElapsedTime(stamps[1], stamps[2]).TotalSeconds:0.000} s");
        // Two waits of 1-1.1 s (Retry-After 1 with its jitter), plus each attempt's table reads and writes on a loaded machine.
        Assert.InRange(span.TotalSeconds, 2.0, 4.0);
        Assert.Equal(3, times.Count);
    }

    [Fact]
    public async Task A_410_disables_the_endpoint_raises_an_alert_and_later_events_are_dead_lettered_without_an_attempt()
    {
        await using var harness = await WebhookDeliveryHarness.CreateAsync(aws);
        await using var receiver = await LoopbackReceiver.StartAsync(context => { context.Response.StatusCode = 410; return Task.CompletedTask; });
        var (subscription, queue, deadLetters) = await harness.AddSubscriptionAsync("gone", receiver.Url());
        harness.Start([subscription]);
        var (first, second) = ("evt-" + Guid.NewGuid().ToString("N"), "evt-" + Guid.NewGuid().ToString("N"));

        await harness.SendAsync(queue, first);
        Assert.True(await WebhookDeliveryHarness.EventuallyAsync(async () =>
            (await harness.Endpoints.GetAsync("gone", CancellationToken.None)).Status == CircuitStatus.Disabled, Patience), "not disabled");
        await harness.SendAsync(queue, second);

        var letters = await harness.ReceiveAsync(deadLetters, 2, Patience);
        Assert.Equal(2, letters.Count);
        Assert.All(letters, l => Assert.Equal(DeadLetterReason.WebhookEndpointDisabled, l.MessageAttributes["reason"].StringValue));
        Assert.Equal(new[] { first, second }.Order(), letters.Select(l => l.MessageAttributes["id"].StringValue).Order());
        var alerts = await harness.ReceiveAsync(harness.AlertsQueueUrl, 1, Patience);
        var disabled = alerts.Select(a => JsonDocument.Parse(a.Body).RootElement)
            .Single(a => a.GetProperty("kind").GetString() == WebhookAlert.EndpointDisabled);
        Assert.Equal("gone", disabled.GetProperty("subscription").GetString());
        Assert.Single(receiver.Seen); // the second event was never attempted
        Assert.Empty(await harness.Attempts.QueryAsync("demo", second, null));
        var state = await harness.Endpoints.GetAsync("gone", CancellationToken.None);
        Assert.Equal("disabled", state.ListState);
    }

    [Fact]
    public async Task A_hanging_receiver_times_out_opens_its_circuit_and_leaves_another_endpoints_latency_alone()
    {
        await using var harness = await WebhookDeliveryHarness.CreateAsync(aws);
        var hung = 0;
        await using var hanging = await LoopbackReceiver.StartAsync(async context =>
        {
            Interlocked.Increment(ref hung);
            await Task.Delay(Timeout.Infinite, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
        });
        await using var healthy = await LoopbackReceiver.StartAsync(context => { context.Response.StatusCode = 200; return Task.CompletedTask; });
        var (slow, slowQueue, _) = await harness.AddSubscriptionAsync("hangs", hanging.Url(), timeoutSeconds: 2);
        var (fast, fastQueue, _) = await harness.AddSubscriptionAsync("healthy", healthy.Url());
        harness.Start([slow, fast], schedule: new RetrySchedule([TimeSpan.Zero, TimeSpan.FromSeconds(30)], 0.1, TimeSpan.FromSeconds(30)),
            circuit: new CircuitBreakerOptions(2, TimeSpan.FromMinutes(1), TimeSpan.FromMinutes(2), TimeSpan.FromDays(5)));
        var slowEvents = Enumerable.Range(0, 2).Select(_ => "slow-" + Guid.NewGuid().ToString("N")).ToList();
        var fastEvents = Enumerable.Range(0, 10).Select(_ => "fast-" + Guid.NewGuid().ToString("N")).ToList();

        foreach (var id in slowEvents)
        {
            await harness.SendAsync(slowQueue, id);
        }

        var sentAt = new Dictionary<string, long>();
        foreach (var id in fastEvents)
        {
            sentAt[id] = Stopwatch.GetTimestamp();
            await harness.SendAsync(fastQueue, id);
            await Task.Delay(300);
        }

        Assert.True(await WebhookDeliveryHarness.EventuallyAsync(async () =>
            (await harness.Endpoints.GetAsync("hangs", CancellationToken.None)).Status == CircuitStatus.Open, Patience), "the circuit did not open");
        var late = "slow-" + Guid.NewGuid().ToString("N");
        await harness.SendAsync(slowQueue, late);
        Assert.True(WebhookDeliveryHarness.Eventually(() => healthy.Seen.Count == fastEvents.Count, Patience));
        await Task.Delay(TimeSpan.FromSeconds(3)); // time for the late event to be received (and held back)

        var slowAttempts = (await Task.WhenAll(slowEvents.Select(id => harness.Attempts.QueryAsync("demo", id, "hangs")))).SelectMany(a => a).ToList();
        Assert.Equal(2, slowAttempts.Count);
        Assert.All(slowAttempts, a => Assert.Equal(AttemptError.Timeout, a.Attempt.Error));
        Assert.Empty(await harness.Attempts.QueryAsync("demo", late, null)); // held back by the open circuit, not attempted
        Assert.Equal(2, hung);
        var fastAttempts = (await Task.WhenAll(fastEvents.Select(id => harness.Attempts.QueryAsync("demo", id, "healthy")))).SelectMany(a => a).ToList();
        Assert.Equal(fastEvents.Count, fastAttempts.Count);
        var latencies = fastAttempts.Select(a => a.Attempt.Latency.TotalMilliseconds).Order().ToList();
        output.WriteLine($"hanging endpoint: {slowAttempts.Count} attempts, latency {string.Join(", ", slowAttempts.Select(a => $"{a.Attempt.Latency.TotalSeconds:0.00} s"))} (timeout 2 s)");
        output.WriteLine($"healthy endpoint meanwhile: {latencies.Count} attempts, latency min {latencies[0]:0} ms, median {latencies[latencies.Count / 2]:0} ms, max {latencies[^1]:0} ms");
        Assert.True(latencies[^1] < 1000, $"a healthy attempt took {latencies[^1]:0} ms");
    }

    [Fact]
    public async Task A_url_that_resolves_to_a_private_or_metadata_address_is_refused_without_a_connection()
    {
        await using var harness = await WebhookDeliveryHarness.CreateAsync(aws);
        await using var receiver = await LoopbackReceiver.StartAsync(context => { context.Response.StatusCode = 200; return Task.CompletedTask; });
        var resolver = new FixedHostResolver(new()
        {
            ["hooks.example.com"] = [IPAddress.Loopback], // where a listener is: it must see nothing
            ["metadata.example.com"] = [IPAddress.Parse("169.254.169.254")],
            ["mixed.example.com"] = [IPAddress.Parse("93.184.215.14"), IPAddress.Parse("10.0.0.7")],
        });
        var subscriptions = new List<(SubscriptionDefinition Subscription, string Queue)>();
        foreach (var (id, host) in new[] { ("loopback", "hooks.example.com"), ("metadata", "metadata.example.com"), ("mixed", "mixed.example.com") })
        {
            var (subscription, queue, _) = await harness.AddSubscriptionAsync(id, new Uri($"https://{host}:{receiver.Port}/hook"));
            subscriptions.Add((subscription, queue));
        }

        harness.Start(subscriptions.Select(s => s.Subscription), localMode: false, resolver: resolver);
        var eventId = "evt-" + Guid.NewGuid().ToString("N");
        foreach (var (_, queue) in subscriptions)
        {
            await harness.SendAsync(queue, eventId);
        }

        Assert.True(await WebhookDeliveryHarness.EventuallyAsync(async () =>
            (await harness.Attempts.QueryAsync("demo", eventId, null)).Count == 3, Patience));
        var attempts = await harness.Attempts.QueryAsync("demo", eventId, null);
        Assert.All(attempts, a => Assert.Equal((AttemptError.ForbiddenAddress, (int?)null), (a.Attempt.Error, a.Attempt.StatusCode)));
        foreach (var a in attempts)
        {
            output.WriteLine($"{a.Attempt.EndpointId}: {a.Attempt.Error} ({a.Attempt.ErrorDetail}), next attempt {a.NextAttemptAt:O}");
        }

        Assert.Empty(receiver.Seen);
    }

    [Fact]
    public async Task During_a_rotation_receivers_holding_either_secret_verify()
    {
        await using var harness = await WebhookDeliveryHarness.CreateAsync(aws);
        await using var receiver = await LoopbackReceiver.StartAsync(context => { context.Response.StatusCode = 204; return Task.CompletedTask; });
        var (subscription, queue, _) = await harness.AddSubscriptionAsync("rotating", receiver.Url());
        var old = harness.Secrets.Add("rotating");
        var next = harness.Secrets.Rotate("rotating");
        harness.Start([subscription]);

        await harness.SendAsync(queue, "evt-" + Guid.NewGuid().ToString("N"));

        Assert.True(WebhookDeliveryHarness.Eventually(() => !receiver.Seen.IsEmpty, Patience));
        var (_, _, headers, body) = Assert.Single(receiver.Seen);
        Assert.Equal(2, headers[WebhookHeaderNames.Signature].Split(' ').Length);
        foreach (var secret in new[] { old, next })
        {
            await AssertNpmVerifiesAsync(secret, headers, body);
        }
    }

    [Fact]
    public async Task A_malformed_message_is_dead_lettered_with_a_reason_and_the_next_message_is_still_delivered()
    {
        await using var harness = await WebhookDeliveryHarness.CreateAsync(aws);
        await using var receiver = await LoopbackReceiver.StartAsync(context => { context.Response.StatusCode = 200; return Task.CompletedTask; });
        var (subscription, queue, deadLetters) = await harness.AddSubscriptionAsync("strict", receiver.Url());
        harness.Start([subscription]);
        var good = "evt-" + Guid.NewGuid().ToString("N");

        await harness.SendAsync(queue, "", body: "not json at all");
        await harness.SendAsync(queue, "", body: """{"specversion":"1.0","source":"x","type":"t"}""");
        await harness.SendAsync(queue, good);

        Assert.True(WebhookDeliveryHarness.Eventually(() => !receiver.Seen.IsEmpty, Patience), "the good event was not delivered");
        Assert.Contains(good, Encoding.UTF8.GetString(Assert.Single(receiver.Seen).Body), StringComparison.Ordinal);
        var letters = await harness.ReceiveAsync(deadLetters, 2, Patience);
        Assert.Equal(2, letters.Count);
        var bodies = letters.Select(l => JsonDocument.Parse(l.Body).RootElement).ToList();
        Assert.All(bodies, b => Assert.Equal((DeadLetterMessage.WebhookKind, DeadLetterReason.WebhookMalformed),
            (b.GetProperty("kind").GetString(), b.GetProperty("reason").GetString())));
        var messages = bodies.Select(b => b.GetProperty("error").GetProperty("message").GetString()).Order().ToList();
        output.WriteLine(string.Join("\n", messages));
        Assert.Contains(messages, m => m!.Contains("not JSON", StringComparison.Ordinal));
        Assert.Contains(messages, m => m!.Contains("no id", StringComparison.Ordinal));
        Assert.Contains(bodies, b => b.TryGetProperty("body", out var text) && text.GetString() == "not json at all");
    }

    [Fact]
    public async Task The_reader_outlives_a_failing_poll_and_delivers_once_its_queue_exists()
    {
        await using var harness = await WebhookDeliveryHarness.CreateAsync(aws);
        await using var receiver = await LoopbackReceiver.StartAsync(context => { context.Response.StatusCode = 204; return Task.CompletedTask; });
        var (subscription, _, _) = await harness.AddSubscriptionAsync("late-queue", receiver.Url(), createQueues: false);
        harness.Start([subscription]);
        await Task.Delay(TimeSpan.FromSeconds(2)); // the queue is looked up and not found, more than once

        var queue = await harness.CreateQueueAsync(WebhookNames.Queue(harness.Definition, "late-queue"));
        await harness.CreateQueueAsync(WebhookNames.DeadLetterQueue(harness.Definition, "late-queue"));
        await harness.SendAsync(queue, "evt-" + Guid.NewGuid().ToString("N"));

        Assert.True(WebhookDeliveryHarness.Eventually(() => !receiver.Seen.IsEmpty, Patience), "the reader stopped after its failed polls");
    }

    [Fact]
    public async Task An_event_without_a_partitionkey_goes_unordered_in_a_partitionkey_subscription()
    {
        await using var harness = await WebhookDeliveryHarness.CreateAsync(aws);
        await using var receiver = await LoopbackReceiver.StartAsync(context => { context.Response.StatusCode = 204; return Task.CompletedTask; });
        var (subscription, queue, _) = await harness.AddSubscriptionAsync("ordered", receiver.Url(), ordering: "partitionkey");
        harness.Start([subscription]);
        var eventId = "evt-" + Guid.NewGuid().ToString("N");

        await harness.SendAsync(queue, eventId);

        Assert.True(WebhookDeliveryHarness.Eventually(() => !receiver.Seen.IsEmpty, Patience), "nothing was delivered");
        Assert.Equal(WebhookMessage.WebhookIdOf("demo", eventId), Assert.Single(receiver.Seen).Headers[WebhookHeaderNames.Id]);
        Assert.True(await WebhookDeliveryHarness.EventuallyAsync(async () =>
            await harness.Attempts.QueryAsync("demo", eventId, "ordered") is [{ Attempt.Outcome: AttemptOutcome.Succeeded }], Patience));
    }
}
