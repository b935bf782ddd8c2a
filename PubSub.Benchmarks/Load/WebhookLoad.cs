using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.SQS;
using Amazon.SQS.Model;
using PubSub.Definition;
using PubSub.Emulators;
using PubSub.Webhooks.Signing;
using PubSub.Webhooks.Worker;
using static PubSub.Benchmarks.Load.LoadMath;

namespace PubSub.Benchmarks.Load;

/// <summary>Webhook delivery under load, in one run: the loopback receiver's own ceiling (signed 1 KiB CloudEvents posted
/// by a plain HttpClient loop, every signature verified); the deliveries per second the delivery worker (the Release
/// build, as its own process) sustains to that receiver, draining a backlog queued while it was frozen (SIGSTOP), on one
/// subscription and then spread over several; the latency from <c>POST /events</c> (ingestion, table, stream publisher,
/// SNS, the queue, the worker) to the receiver's handler at a paced rate; and the worker's CPU per delivery in each.</summary>
internal static class WebhookLoad
{
    /// <summary>The other subscriptions' topic, which no route feeds: only the backlogs reach them.</summary>
    private const string SpareTopic = "webhook-load";

    public static async Task<int> RunAsync(string[] args)
    {
        var subscriptions = Option(args, "--subscriptions", 4);
        var backlog = Option(args, "--backlog", 3000);
        var warmup = Option(args, "--warmup", 1000);
        var ceilingSeconds = Option(args, "--ceiling-seconds", 15);
        var concurrency = Option(args, "--concurrency", 32);
        var rate = Option(args, "--rate", 50);
        var pacedSeconds = Option(args, "--paced-seconds", 30);
        var loadBefore = LoadEnvironment.LoadAverage();

        var ids = Enumerable.Range(1, subscriptions).Select(i => $"load-{i}").ToList();
        var secrets = ids.ToDictionary(id => id, _ => WebhookSecret.Generate(), StringComparer.Ordinal);
        var directory = Directory.CreateTempSubdirectory("pubsub-webhook-load-").FullName;
        var secretsFile = Path.Combine(directory, "webhook-secrets.json");
        var secretSource = new LocalWebhookSecretSource(secretsFile);
        foreach (var (id, secret) in secrets)
        {
            secretSource.Add(id, secret);
        }

        await using var receiver = await WebhookReceiverClock.StartAsync(secrets);
        var definitionPath = WriteDefinition(receiver, ids);
        var (emulators, definition, resources) = await LoadEnvironment.StartAsync(definitionPath);
        await using var running = emulators;
        using var sqs = new AmazonSQSClient();
        var settings = new Dictionary<string, string>
        {
            ["PubSub__Definition"] = definitionPath, ["Publishers__load__ApiKey"] = IngestionLoad.ApiKey, ["Webhooks__SecretsFile"] = secretsFile,
        };
        using var ingestion = ReleaseService.Start("PubSub.Ingestion", emulators, settings);
        using var streamPublisher = ReleaseService.Start("PubSub.StreamPublisher", emulators, settings);
        using var worker = ReleaseService.Start("PubSub.WebhookDelivery", emulators, settings);
        await Task.WhenAll(ingestion.WaitForHealthAsync(), streamPublisher.WaitForHealthAsync(), worker.WaitForHealthAsync());
        var workerTree = new ProcessTree("webhook worker", worker.Process.Id);
        var queues = ids.Select(id => resources.QueueUrls[WebhookNames.Queue(definition, id)]).ToList();

        Console.WriteLine($"Receiver ceiling: {concurrency} HttpClient callers for {ceilingSeconds} s ...");
        var ceiling = await ReceiverCeilingAsync(receiver, ids[0], secrets[ids[0]], concurrency, TimeSpan.FromSeconds(ceilingSeconds));
        var unexpectedBefore = receiver.Unexpected;

        Console.WriteLine($"Warm-up: {warmup} deliveries ...");
        await DrainAsync(sqs, receiver, worker, workerTree, queues[..1], warmup);
        Console.WriteLine($"Backlog of {backlog} on 1 subscription ...");
        var one = await DrainAsync(sqs, receiver, worker, workerTree, queues[..1], backlog);
        Console.WriteLine($"Backlog of {backlog} over {queues.Count} subscriptions ...");
        var several = await DrainAsync(sqs, receiver, worker, workerTree, queues, backlog);

        Console.WriteLine($"POST /events to the receiver, paced at {rate}/s for {pacedSeconds} s ...");
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256 }) { BaseAddress = ingestion.BaseUrl };
        var cpuBefore = workerTree.CpuTime();
        var paced = await SystemLoad.PacedAsync(http, receiver, rate, TimeSpan.FromSeconds(pacedSeconds));
        var arrived = await receiver.WaitUntilDrainedAsync(TimeSpan.FromSeconds(120));
        var pacedCpu = workerTree.CpuTime() - cpuBefore;
        var latencies = SystemLoad.Percentiles(receiver.TakeReceipts().Select(r => r.LatencyMs));

        Print(new WebhookLoadReport(
            $"{Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}", loadBefore, LoadEnvironment.LoadAverage(),
            concurrency, ceilingSeconds, ceiling, one, several, rate, pacedSeconds, paced.Accepted,
            paced.Rejected + paced.Skipped, receiver.Outstanding, latencies, pacedCpu.TotalMilliseconds / Math.Max(1, paced.Accepted),
            receiver.Unexpected - unexpectedBefore, receiver.Refused));
        Directory.Delete(directory, recursive: true);
        return arrived && one.Complete && several.Complete ? 0 : 1;
    }

    /// <summary>Signed 1 KiB CloudEvents posted to the receiver as fast as it answers (one signature, reused: the
    /// receiver verifies each request all the same).</summary>
    private static async Task<double> ReceiverCeilingAsync(WebhookReceiverClock receiver, string subscriptionId, WebhookSecret secret,
        int concurrency, TimeSpan duration)
    {
        var body = Encoding.UTF8.GetBytes(IngestionLoad.EventJson(Guid.CreateVersion7().ToString()));
        var signed = new WebhookSigner(TimeProvider.System).Sign(WebhookMessage.WebhookIdOf("load", "ceiling"), body, new WebhookSigningKeys(secret));
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency });
        var url = receiver.Url(subscriptionId);
        async Task<bool> PostAsync(int worker)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/cloudevents+json");
            request.Headers.Add(WebhookHeaderNames.Id, signed.Id);
            request.Headers.Add(WebhookHeaderNames.Timestamp, signed.Timestamp);
            request.Headers.Add(WebhookHeaderNames.Signature, signed.Signature);
            using var response = await http.SendAsync(request);
            return response.IsSuccessStatusCode;
        }

        await IngestionLoad.MeasureAsync(concurrency, duration / 3, PostAsync); // JIT and connections
        return (await IngestionLoad.MeasureAsync(concurrency, duration, PostAsync)).PerSecond;
    }

    /// <summary>Queues <paramref name="count"/> events (spread over <paramref name="queues"/>) as the stream publisher's raw
    /// delivery does while the worker is frozen, then lets it go and times it until the receiver has every one.</summary>
    private static async Task<Drain> DrainAsync(AmazonSQSClient sqs, WebhookReceiverClock receiver, ReleaseService worker, ProcessTree workerTree,
        List<string> queues, int count)
    {
        Signals.Pause(worker.Process.Id);
        try
        {
            var batches = Enumerable.Range(0, count).Chunk(10).Select((chunk, i) => (Queue: queues[i % queues.Count], Chunk: chunk)).ToList();
            await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 16 }, async (batch, ct) =>
            {
                var entries = batch.Chunk.Select(_ => Guid.CreateVersion7().ToString()).Select((id, i) =>
                {
                    receiver.Expect(id, Stopwatch.GetTimestamp());
                    return new SendMessageBatchRequestEntry(i.ToString(CultureInfo.InvariantCulture), IngestionLoad.EventJson(id))
                    {
                        MessageAttributes = new() { ["publisher"] = new MessageAttributeValue { DataType = "String", StringValue = "load" } },
                    };
                }).ToList();
                var response = await sqs.SendMessageBatchAsync(new SendMessageBatchRequest(batch.Queue, entries), ct);
                if (response.Failed is { Count: > 0 } failed)
                {
                    throw new InvalidOperationException($"SendMessageBatch refused {failed.Count}: {failed[0].Code} {failed[0].Message}");
                }
            });
        }
        finally
        {
            Signals.Resume(worker.Process.Id);
        }

        var cpuBefore = workerTree.CpuTime();
        var started = Stopwatch.GetTimestamp();
        var complete = await receiver.WaitUntilDrainedAsync(TimeSpan.FromSeconds(600));
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var cpu = workerTree.CpuTime() - cpuBefore;
        _ = receiver.TakeReceipts(); // times from queueing: not a latency
        return new Drain(queues.Count, count, seconds, count / seconds, cpu.TotalSeconds / seconds, cpu.TotalMilliseconds / count, complete);
    }

    /// <summary>The ingestion load's definition (a publisher without a plan) with its subscriptions replaced by webhook
    /// subscriptions to <paramref name="receiver"/>: the first on <c>orders</c> (where the events posted go), the others
    /// on a topic nothing is routed to. Rate limits at the most the definition allows: the limit is not measured.</summary>
    private static string WriteDefinition(WebhookReceiverClock receiver, List<string> ids)
    {
        var path = IngestionLoad.WriteDefinition();
        var json = JsonNode.Parse(File.ReadAllText(path),
            documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })!.AsObject();
        json["topics"]!.AsArray().Add(new JsonObject { ["name"] = SpareTopic });
        json["subscriptions"] = new JsonArray([.. ids.Select((id, i) => (JsonNode)new JsonObject
        {
            ["id"] = id, ["topic"] = i == 0 ? "orders" : SpareTopic, ["protocol"] = SubscriptionDefinition.WebhookProtocol,
            ["endpoint"] = receiver.Url(id).ToString(), ["rateLimit"] = 10_000,
        })]);
        File.WriteAllText(path, json.ToJsonString());
        return path;
    }

    private static void Print(WebhookLoadReport r)
    {
        static string F(double v, string format = "F0") => v.ToString(format, CultureInfo.InvariantCulture);
        static string Row(Drain d, double ceiling) =>
            $"| Worker: a backlog of {d.Count} over {d.Subscriptions} subscription{(d.Subscriptions == 1 ? "" : "s")}, delivered | " +
            $"{F(d.PerSecond)}/s ({F(d.Seconds, "F1")} s{(d.Complete ? "" : ", **not all arrived**")}) | {F(d.PerSecond / ceiling * 100)} % of the receiver's ceiling | " +
            $"{F(d.Cores, "F2")} cores, {F(d.CpuMsPerDelivery, "F2")} ms per delivery |";
        Console.WriteLine();
        Console.WriteLine($"Machine: {r.Machine}; load average {r.LoadBefore} at the start, {r.LoadAfter} at the end.");
        Console.WriteLine();
        Console.WriteLine("| Figure | Value | Ratio | Worker CPU |");
        Console.WriteLine("|---|---|---|---|");
        Console.WriteLine($"| Receiver's ceiling: signed 1 KiB POSTs verified and answered 200, {r.Concurrency} HttpClient callers, {r.CeilingSeconds} s | {F(r.ReceiverCeiling)}/s | | |");
        Console.WriteLine(Row(r.One, r.ReceiverCeiling));
        Console.WriteLine(Row(r.Several, r.ReceiverCeiling));
        Console.WriteLine($"| `POST /events` to the receiver's handler, paced at {r.Rate}/s for {r.PacedSeconds} s: p50 / p95 / p99 | {r.LatencyMs} ms " +
                          $"({r.Accepted} accepted, {r.NotAccepted} not, {r.NotArrived} not arrived) | | {F(r.PacedCpuMsPerDelivery, "F2")} ms per delivery |");
        Console.WriteLine($"| Deliveries not expected (duplicates) / signatures refused | {r.Unexpected} / {r.Refused} | | |");
    }

    private sealed record Drain(int Subscriptions, int Count, double Seconds, double PerSecond, double Cores, double CpuMsPerDelivery, bool Complete);

    private sealed record WebhookLoadReport(
        string Machine, string LoadBefore, string LoadAfter, int Concurrency, int CeilingSeconds, double ReceiverCeiling, Drain One, Drain Several,
        int Rate, int PacedSeconds, int Accepted, int NotAccepted, int NotArrived, Percentile3 LatencyMs, double PacedCpuMsPerDelivery,
        int Unexpected, int Refused);
}
