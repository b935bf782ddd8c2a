using System.Text;
using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using Amazon.SQS.Model;
using PubSub.DeadLetters;
using PubSub.Definition;
using PubSub.Events;
using PubSub.IntegrationTests.Infrastructure;
using PubSub.IntegrationTests.Webhooks;
using PubSub.Operations;
using PubSub.Webhooks.Delivery;
using PubSub.Webhooks.Signing;
using PubSub.Webhooks.Worker;

namespace PubSub.IntegrationTests.Cli;

/// <summary><c>pubsub webhooks</c> against the emulators, each test under a definition file of its own (a random system
/// name, so its queues and tables are its own) and a secrets file of its own: add provisions for real, the states are
/// the endpoints table's, the attempts those the delivery core's attempt log wrote.</summary>
[Collection(AwsEmulatorsCollection.Name)]
public sealed class WebhooksCommandTests(AwsEmulatorsFixture aws) : IDisposable
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    private readonly string _directory = Directory.CreateTempSubdirectory("pubsub-webhooks-cli-").FullName;
    private readonly string _name = "whc" + Guid.NewGuid().ToString("N")[..8];

    private string DefinitionFile => Path.Combine(_directory, "pubsub.json");

    private string SecretsFile => Path.Combine(_directory, "webhook-secrets.json");

    private SystemDefinition Definition => SystemDefinitionLoader.Load(DefinitionFile);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>A definition with one topic, one publisher and (as most have) no subscriptions array yet.</summary>
    private void WriteDefinition() => File.WriteAllText(DefinitionFile, $$"""
        {
          // a comment the edit keeps
          "name": "{{_name}}",
          "events": { "table": "{{_name}}-events", "retentionDays": 7, "archiveBucket": "{{_name}}-archive" },
          "deadLetterQueues": { "ingestion": "{{_name}}-ingestion-dlq", "publish": "{{_name}}-publish-dlq" },
          "topics": [ { "name": "orders" } ],
          "publishers": [ { "name": "shop", "plan": { "rateLimit": 10, "burstLimit": 20 } } ]
        }
        """);

    private Task<CliResult> Pubsub(params string[] args) =>
        CliRunner.RunAsync(new Dictionary<string, string?> { ["Webhooks__SecretsFile"] = SecretsFile }, [.. args, "--definition", DefinitionFile]);

    private async Task<(string Id, string? Secret)> AddAsync(params string[] extra)
    {
        var result = await Pubsub(["webhooks", "add", "--topic", "orders", "--local", "--json", .. extra]);
        Assert.True(result.ExitCode == 0, result.Stderr);
        var json = JsonDocument.Parse(result.Stdout).RootElement;
        return (json.GetProperty("id").GetString()!, json.GetProperty("secret").GetString());
    }

    private async Task<JsonElement> ListedAsync(string id)
    {
        var list = await Pubsub("webhooks", "list", "--json");
        Assert.True(list.ExitCode == 0, list.Stderr);
        return JsonDocument.Parse(list.Stdout).RootElement.GetProperty("webhooks").EnumerateArray().Single(w => w.GetProperty("id").GetString() == id);
    }

    [Fact]
    public async Task Add_provisions_and_stores_a_secret_and_list_shows_disable_and_enable()
    {
        WriteDefinition();

        var (id, secret) = await AddAsync("--url", "https://hooks.example.com/in", "--rate", "5");

        Assert.Equal("hooks-example-com", id);
        var subscription = Assert.Single(Definition.Subscriptions);
        Assert.Equal((true, "orders", "https://hooks.example.com/in", 5.0), (subscription.IsWebhook, subscription.Topic, subscription.Endpoint, subscription.RateLimit));
        Assert.Contains("// a comment the edit keeps", File.ReadAllText(DefinitionFile), StringComparison.Ordinal);
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Equal([secret], new LocalWebhookSecretSource(SecretsFile).Read(id).Select(s => s.Reveal()));
        await aws.Sqs.GetQueueUrlAsync(WebhookNames.Queue(Definition, id)); // provisioned: throws otherwise
        await aws.Sqs.GetQueueUrlAsync(WebhookNames.DeadLetterQueue(Definition, id));

        var listed = await ListedAsync(id);
        Assert.Equal(("https://hooks.example.com/in", "orders", "enabled", 0),
            (listed.GetProperty("url").GetString(), listed.GetProperty("topic").GetString(), listed.GetProperty("state").GetString(),
                listed.GetProperty("consecutiveFailures").GetInt32()));

        var disable = await Pubsub("webhooks", "disable", id, "--reason", "receiver moving", "--local");
        Assert.True(disable.ExitCode == 0, disable.Stderr);
        Assert.Equal("disabled", (await ListedAsync(id)).GetProperty("state").GetString());
        var endpoint = await aws.DynamoDb.GetItemAsync(WebhookNames.EndpointsTable(Definition), new() { ["id"] = new AttributeValue(id) });
        Assert.Equal("receiver moving", endpoint.Item["disabledReason"].S);

        var enable = await Pubsub("webhooks", "enable", id, "--local");
        Assert.True(enable.ExitCode == 0, enable.Stderr);
        Assert.Equal("enabled", (await ListedAsync(id)).GetProperty("state").GetString());

        var unknown = await Pubsub("webhooks", "disable", "no-such-id", "--local");
        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains(id, unknown.Stderr, StringComparison.Ordinal); // names those there are
    }

    [Fact]
    public async Task A_bad_url_id_or_secret_is_refused_with_the_reason_and_nothing_is_saved()
    {
        WriteDefinition();
        var before = File.ReadAllText(DefinitionFile);

        var http = await Pubsub("webhooks", "add", "--topic", "orders", "--url", "http://example.com/in", "--local");
        var id = await Pubsub("webhooks", "add", "--topic", "orders", "--url", "https://example.com/in", "--id", "Bad_Id", "--local");
        var topic = await Pubsub("webhooks", "add", "--topic", "nope", "--url", "https://example.com/in", "--local");
        var secret = await Pubsub("webhooks", "add", "--topic", "orders", "--url", "https://example.com/in", "--secret", "whsec_short", "--local");

        Assert.Equal([2, 2, 2, 2], new[] { http, id, topic, secret }.Select(r => r.ExitCode));
        Assert.Contains("must be an https URL", http.Stderr, StringComparison.Ordinal);
        Assert.Contains("id must be 1-40 lower-case letters", id.Stderr, StringComparison.Ordinal);
        Assert.Contains("nope", topic.Stderr, StringComparison.Ordinal);
        Assert.Contains("--secret", secret.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("whsec_short", secret.Stderr, StringComparison.Ordinal); // a secret is never echoed
        Assert.Equal(before, File.ReadAllText(DefinitionFile));
        Assert.False(File.Exists(SecretsFile), "no secret stored for a refused subscription");
    }

    [Fact]
    public async Task Rotate_secret_keeps_the_previous_one_signing_beside_the_new_one()
    {
        WriteDefinition();
        var given = WebhookSecret.Generate().Reveal();
        var (id, shown) = await AddAsync("--url", "http://localhost:5999/hooks", "--id", "rotating", "--secret", given);
        Assert.Null(shown); // a given secret is not printed back

        var rotate = await Pubsub("webhooks", "rotate-secret", id, "--local", "--json");

        Assert.True(rotate.ExitCode == 0, rotate.Stderr);
        var next = JsonDocument.Parse(rotate.Stdout).RootElement.GetProperty("secret").GetString();
        Assert.NotEqual(given, next);
        Assert.Equal([next, given], new LocalWebhookSecretSource(SecretsFile).Read(id).Select(s => s.Reveal()));
    }

    [Fact]
    public async Task Attempts_and_events_get_show_what_the_attempt_log_recorded()
    {
        WriteDefinition();
        var (id, _) = await AddAsync("--url", "https://hooks.example.com/in", "--id", "tried");
        var envelope = Stored(Guid.NewGuid().ToString());
        await aws.DynamoDb.PutItemAsync(Definition.Events.Table, EventItem.ToItem(envelope, TimeSpan.FromDays(1)));
        var log = new DynamoDbAttemptLog(aws.DynamoDb, WebhookNames.AttemptsTable(Definition), TimeSpan.FromDays(7));
        var started = DateTimeOffset.UtcNow.AddMinutes(-1);
        var next = started.AddSeconds(30);
        await log.RecordAsync(new AttemptRecord("shop", Attempt(envelope.Id, id, 1, started, 500, AttemptError.None), next), CancellationToken.None);
        await log.RecordAsync(new AttemptRecord("shop", Attempt(envelope.Id, id, 2, next, null, AttemptError.Timeout), next.AddMinutes(5)),
            CancellationToken.None);

        var attempts = await Pubsub("webhooks", "attempts", envelope.Id, "--local", "--json");
        var text = await Pubsub("webhooks", "attempts", envelope.Id, "--publisher", "shop", "--local");
        var get = await Pubsub("events", "get", envelope.Id, "--local", "--json");

        Assert.True(attempts.ExitCode == 0, attempts.Stderr);
        var rows = JsonDocument.Parse(attempts.Stdout).RootElement.GetProperty("attempts").EnumerateArray().ToList();
        Assert.Equal([(1, 500, "None", "Failed"), (2, 0, "Timeout", "Failed")], rows.Select(r => (r.GetProperty("attempt").GetInt32(),
            r.GetProperty("status").ValueKind == JsonValueKind.Null ? 0 : r.GetProperty("status").GetInt32(), r.GetProperty("error").GetString(),
            r.GetProperty("outcome").GetString())));
        Assert.Equal(next.AddMinutes(5).ToUnixTimeSeconds(), rows[1].GetProperty("nextAttemptAt").GetDateTimeOffset().ToUnixTimeSeconds());
        Assert.Contains("HTTP 500", text.Stdout, StringComparison.Ordinal);
        Assert.True(get.ExitCode == 0, get.Stderr);
        var summary = Assert.Single(JsonDocument.Parse(get.Stdout).RootElement.GetProperty("webhooks").EnumerateArray());
        Assert.Equal((id, 2), (summary.GetProperty("subscription").GetString(), summary.GetProperty("attempts").GetInt32()));
        Assert.StartsWith("next attempt due", summary.GetProperty("next").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Resend_puts_the_stored_event_on_the_queue_as_sns_raw_delivery_would()
    {
        WriteDefinition();
        var (id, _) = await AddAsync("--url", "https://hooks.example.com/in", "--id", "again");
        var envelope = Stored(Guid.NewGuid().ToString());
        await aws.DynamoDb.PutItemAsync(Definition.Events.Table, EventItem.ToItem(envelope, TimeSpan.FromDays(1)));

        var resend = await Pubsub("webhooks", "resend", id, envelope.Id, "--local", "--json");
        var missing = await Pubsub("webhooks", "resend", id, "no-such-event", "--local");

        Assert.True(resend.ExitCode == 0, resend.Stderr);
        Assert.Equal(1, missing.ExitCode);
        var queue = (await aws.Sqs.GetQueueUrlAsync(WebhookNames.Queue(Definition, id))).QueueUrl;
        var message = Assert.Single(await QueueReader.ReceiveAsync(aws.Sqs, queue, 1, TimeSpan.FromSeconds(10)));
        Assert.Equal(CloudEventJson.ToJson(envelope), message.Body);
        Assert.Equal(("shop", envelope.Id, "order.created", "true"), (message.MessageAttributes["publisher"].StringValue,
            message.MessageAttributes["id"].StringValue, message.MessageAttributes["type"].StringValue, message.MessageAttributes["replayed"].StringValue));
        Assert.Equal(JsonDocument.Parse(resend.Stdout).RootElement.GetProperty("messageId").GetString(), message.MessageId);
    }

    [Fact]
    public async Task Recover_moves_the_dead_letters_since_a_time_back_to_the_queue_and_leaves_older_ones()
    {
        WriteDefinition();
        var (id, _) = await AddAsync("--url", "https://hooks.example.com/in", "--id", "recovering");
        var subscription = Definition.Subscriptions.Single();
        var dlq = (await aws.Sqs.GetQueueUrlAsync(WebhookNames.DeadLetterQueue(Definition, id))).QueueUrl;
        var (old, recent) = (Stored(Guid.NewGuid().ToString()), Stored(Guid.NewGuid().ToString()));
        foreach (var (e, failedAt) in new[] { (old, DateTimeOffset.UtcNow.AddDays(-2)), (recent, DateTimeOffset.UtcNow.AddMinutes(-5)) })
        {
            await aws.Sqs.SendMessageAsync(dlq, DeadLetterMessage.ForWebhook(id, subscription.Topic, subscription.Endpoint, DeadLetterReason.WebhookAttemptsExhausted,
                e.Publisher, e.Id, CloudEventJson.ToJson(e), "HTTP503", "attempt 8: HTTP 503", 8, failedAt));
        }

        var recover = await Pubsub("webhooks", "recover", id, "--since", DateTimeOffset.UtcNow.AddHours(-1).ToString("O"), "--local", "--json");

        Assert.True(recover.ExitCode == 0, recover.Stderr);
        var report = JsonDocument.Parse(recover.Stdout).RootElement;
        Assert.Equal((2, 1, 1), (report.GetProperty("read").GetInt32(), report.GetProperty("recovered").GetInt32(), report.GetProperty("older").GetInt32()));
        var queue = (await aws.Sqs.GetQueueUrlAsync(WebhookNames.Queue(Definition, id))).QueueUrl;
        var message = Assert.Single(await QueueReader.ReceiveAsync(aws.Sqs, queue, 1, TimeSpan.FromSeconds(10)));
        Assert.Equal(CloudEventJson.ToJson(recent), message.Body);
        Assert.Equal("shop", message.MessageAttributes["publisher"].StringValue);
        var left = await QueueReader.DrainAsync(aws.Sqs, dlq, TimeSpan.FromSeconds(1));
        Assert.Contains(old.Id, Assert.Single(left).Body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_dead_lettered_event_is_listed_peeked_and_replayed_by_dlq_and_delivered_on_a_new_series()
    {
        WriteDefinition();
        var status = 500;
        await using var receiver = await LoopbackReceiver.StartAsync(context => { context.Response.StatusCode = Volatile.Read(ref status); return Task.CompletedTask; });
        var (id, _) = await AddAsync("--url", receiver.Url().ToString(), "--id", "replaying");
        await using var worker = StartWorker();
        var envelope = Stored(Guid.NewGuid().ToString());
        await worker.Harness.SendAsync(worker.QueueUrl, envelope.Id, "shop", CloudEventJson.ToJson(envelope));
        Assert.True(await WebhookDeliveryHarness.EventuallyAsync(async () => await DepthAsync(worker.DeadLetterQueueUrl) == 1, Patience),
            "the exhausted event was not dead-lettered");

        var list = await Pubsub("dlq", "list", "--local", "--json");
        var peek = await Pubsub("dlq", "peek", DeadLetterQueues.WebhookRole(id), "--local", "--json");
        Volatile.Write(ref status, 204);
        var replay = await Pubsub("dlq", "replay", DeadLetterQueues.WebhookRole(id), "--local", "--json");

        Assert.True(list.ExitCode == 0, list.Stderr);
        var queue = JsonDocument.Parse(list.Stdout).RootElement.EnumerateArray().Single(q => q.GetProperty("role").GetString() == "webhook-replaying");
        Assert.Equal((WebhookNames.DeadLetterQueue(Definition, id), 1L), (queue.GetProperty("name").GetString(), queue.GetProperty("visible").GetInt64()));
        var entry = JsonDocument.Parse(peek.Stdout).RootElement.EnumerateArray().Single();
        Assert.Equal(("webhook", DeadLetterReason.WebhookAttemptsExhausted, envelope.Id, id), (entry.GetProperty("kind").GetString(),
            entry.GetProperty("reason").GetString(), entry.GetProperty("eventId").GetString(), entry.GetProperty("target").GetString()));
        Assert.True(replay.ExitCode == 0, replay.Stdout + replay.Stderr);
        Assert.Equal(1, JsonDocument.Parse(replay.Stdout).RootElement.GetProperty("replayed").GetInt32());
        await AssertDeliveredOnASecondSeriesAsync(envelope.Id, id);
        Assert.Equal(3, receiver.Seen.Count); // two failed, one delivered
        Assert.Equal(0, await DepthAsync(worker.DeadLetterQueueUrl));
    }

    [Fact]
    public async Task Resend_and_recover_deliver_exhausted_events_again_and_a_forged_series_mark_is_ignored()
    {
        WriteDefinition();
        var status = 500;
        await using var receiver = await LoopbackReceiver.StartAsync(context => { context.Response.StatusCode = Volatile.Read(ref status); return Task.CompletedTask; });
        var (id, _) = await AddAsync("--url", receiver.Url().ToString(), "--id", "redelivering");
        await using var worker = StartWorker();
        var (resent, recovered) = (Stored(Guid.NewGuid().ToString()), Stored(Guid.NewGuid().ToString()));
        foreach (var e in new[] { resent, recovered })
        {
            await aws.DynamoDb.PutItemAsync(Definition.Events.Table, EventItem.ToItem(e, TimeSpan.FromDays(1)));
            await worker.Harness.SendAsync(worker.QueueUrl, e.Id, "shop", CloudEventJson.ToJson(e));
        }

        Assert.True(await WebhookDeliveryHarness.EventuallyAsync(async () => await DepthAsync(worker.DeadLetterQueueUrl) == 2, Patience),
            "the exhausted events were not dead-lettered");

        // Whoever can put a message on the queue without the subscription's secret (a topic's publisher) cannot restart a series.
        Volatile.Write(ref status, 204);
        var forged = WebhookSeries.Mark(new WebhookSigningKeys(WebhookSecret.Generate()), id, "shop", resent.Id, 2);
        await aws.Sqs.SendMessageAsync(new SendMessageRequest
        {
            QueueUrl = worker.QueueUrl,
            MessageBody = CloudEventJson.ToJson(resent),
            MessageAttributes = new()
            {
                ["publisher"] = new() { DataType = "String", StringValue = "shop" },
                [MessageAttributes.WebhookSeries] = new() { DataType = "String", StringValue = forged },
            },
        });
        Assert.True(await WebhookDeliveryHarness.EventuallyAsync(async () => await DepthAsync(worker.DeadLetterQueueUrl) == 3, Patience),
            "the forged redelivery was not dead-lettered again");
        Assert.Equal(4, receiver.Seen.Count); // nothing was attempted for it

        var resend = await Pubsub("webhooks", "resend", id, resent.Id, "--publisher", "shop", "--local", "--json");
        Assert.True(resend.ExitCode == 0, resend.Stderr);
        await AssertDeliveredOnASecondSeriesAsync(resent.Id, id);
        var recover = await Pubsub("webhooks", "recover", id, "--since", DateTimeOffset.UtcNow.AddHours(-1).ToString("O"), "--local", "--json");
        Assert.True(recover.ExitCode == 0, recover.Stderr);
        Assert.Equal(3, JsonDocument.Parse(recover.Stdout).RootElement.GetProperty("recovered").GetInt32()); // the resent event's two letters too
        await AssertDeliveredOnASecondSeriesAsync(recovered.Id, id);
        Assert.True(await WebhookDeliveryHarness.EventuallyAsync(async () => await DepthAsync(worker.QueueUrl, inFlight: true) == 0, Patience));

        // The resent event's letters, recovered after it was delivered, are not delivered again.
        Assert.Equal([3, 3], new[] { resent, recovered }.Select(e => receiver.Seen.Count(r => Encoding.UTF8.GetString(r.Body).Contains(e.Id, StringComparison.Ordinal))));
        var text = await Pubsub("webhooks", "attempts", recovered.Id, "--publisher", "shop", "--local");
        Assert.Contains("3 (new series)", text.Stdout, StringComparison.Ordinal);
    }

    /// <summary>Attempts 1 and 2 failed (the first series, exhausted), attempt 3 delivered and started the second.</summary>
    private async Task AssertDeliveredOnASecondSeriesAsync(string eventId, string id)
    {
        List<JsonElement> rows = [];
        Assert.True(await WebhookDeliveryHarness.EventuallyAsync(async () =>
        {
            var attempts = await Pubsub("webhooks", "attempts", eventId, "--subscription", id, "--local", "--json");
            rows = [.. JsonDocument.Parse(attempts.Stdout).RootElement.GetProperty("attempts").EnumerateArray()];
            return rows.Count == 3;
        }, Patience), $"{rows.Count} attempts recorded for {eventId}");
        Assert.Equal([(1, "Failed", 1), (2, "Failed", 1), (3, "Succeeded", 3)], rows.Select(r => (r.GetProperty("attempt").GetInt32(),
            r.GetProperty("outcome").GetString(), r.GetProperty("seriesStart").GetInt32())));
    }

    /// <summary>The delivery worker (the core and a queue reader) over the test's definition and secrets file, with a schedule
    /// of two attempts at once, so that a failing event is exhausted within a second.</summary>
    private Worker StartWorker()
    {
        var subscription = Definition.Subscriptions.Single();
        var harness = WebhookDeliveryHarness.Over(aws, Definition, SecretsFile);
        harness.Start([subscription], schedule: new RetrySchedule([TimeSpan.Zero, TimeSpan.Zero], 0, TimeSpan.FromSeconds(1)));
        return new Worker(harness, QueueUrl(WebhookNames.Queue(Definition, subscription.Id!)), QueueUrl(WebhookNames.DeadLetterQueue(Definition, subscription.Id!)));
    }

    private string QueueUrl(string name) => aws.Sqs.GetQueueUrlAsync(name).GetAwaiter().GetResult().QueueUrl;

    private async Task<long> DepthAsync(string queueUrl, bool inFlight = false)
    {
        var attributes = await aws.Sqs.GetQueueAttributesAsync(queueUrl, ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]);
        return attributes.ApproximateNumberOfMessages + (inFlight ? attributes.ApproximateNumberOfMessagesNotVisible : 0);
    }

    private sealed record Worker(WebhookDeliveryHarness Harness, string QueueUrl, string DeadLetterQueueUrl) : IAsyncDisposable
    {
        public ValueTask DisposeAsync() => Harness.DisposeAsync();
    }

    private static EventEnvelope Stored(string id) => TestEvents.Envelope(id, publisher: "shop");

    private static DeliveryAttempt Attempt(string eventId, string id, int number, DateTimeOffset at, int? status, AttemptError error) =>
        new(eventId, id, "https://hooks.example.com/in", number, at, status, error, TimeSpan.FromMilliseconds(120), "", null);
}
