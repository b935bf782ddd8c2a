using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.SQS;
using Amazon.SimpleNotificationService;
using Amazon.SimpleNotificationService.Model;
using PubSub.Emulators;
using static PubSub.Benchmarks.Load.LoadMath;

namespace PubSub.Benchmarks.Load;

/// <summary>The whole local system under load, in one run: the emulators' own ceilings (conditional
/// PutItem on DynamoDB Local, PublishBatch on fauxqs's SNS), then publishers driving the ingestion
/// service as fast as it answers while a subscriber drains the routed queue (accepted and delivered
/// rates, lag, latency to 202 and to receipt), then a paced run at half the PutItem ceiling for
/// latency. CPU and peak memory of every process. A markdown table on stdout and a JSON file.</summary>
internal static class SystemLoad
{
    private const string CeilingTopic = "load-ceiling";
    private const string CeilingQueue = "load-ceiling-sink";
    private const string SubscriberQueue = "orders-demo";

    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = Option(args, "--seconds", 60);
        var concurrency = Option(args, "--concurrency", 32);
        var ceilingSeconds = Option(args, "--ceiling-seconds", 15);
        var rounds = Option(args, "--rounds", 3);
        var warmup = Option(args, "--warmup", 90);
        var pacedSeconds = Option(args, "--paced-seconds", 30);
        var outputIndex = Array.IndexOf(args, "--out");
        var output = outputIndex >= 0 && outputIndex + 1 < args.Length ? args[outputIndex + 1] : Path.Combine("artifacts", "load", "system-load.json");

        var definitionPath = WriteDefinition();
        var (emulators, definition, resources) = await LoadEnvironment.StartAsync(definitionPath);
        await using var running = emulators;
        using var dynamoDb = new AmazonDynamoDBClient();
        using var sqs = new AmazonSQSClient();
        using var sns = new AmazonSimpleNotificationServiceClient();

        var ceilingTable = await CreateCeilingTableAsync(dynamoDb, definition.Events.Table);
        var ceilingTopicArn = (await sns.CreateTopicAsync(new CreateTopicRequest { Name = CeilingTopic })).TopicArn;

        using var ingestion = ReleaseService.Start("PubSub.Ingestion", emulators,
            new Dictionary<string, string> { ["PubSub__Definition"] = definitionPath, ["Publishers__load__ApiKey"] = IngestionLoad.ApiKey });
        using var streamPublisher = ReleaseService.Start("PubSub.StreamPublisher", emulators,
            new Dictionary<string, string> { ["PubSub__Definition"] = definitionPath });
        await Task.WhenAll(ingestion.WaitForHealthAsync(), streamPublisher.WaitForHealthAsync());
        var (dynamoDbId, messagingId) = emulators.ProcessIds;
        ProcessTree[] processes =
        [
            new("ingestion", ingestion.Process.Id), new("stream publisher", streamPublisher.Process.Id),
            new("DynamoDB Local", dynamoDbId!.Value), new("fauxqs (SNS, SQS, S3)", messagingId!.Value),
        ];

        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 512 }) { BaseAddress = ingestion.BaseUrl };
        await using var subscriber = new SubscriberClock(sqs, resources.QueueUrls[SubscriberQueue], receivers: 8);

        // DynamoDB Local keeps every table's stream records in one SQLite table without an index on the
        // shard, and each write to a stream-enabled table looks up its shard's first record by scanning
        // from the oldest record up. A table whose first stream record comes after thousands of another
        // table's pays that scan on every PutItem; so both tables get their first record now.
        if (!(await SendAsync(http, subscriber, Stopwatch.GetTimestamp())).Accepted || !await IngestionLoad.PutAsync(dynamoDb, ceilingTable))
        {
            throw new InvalidOperationException("The first event was not accepted.");
        }

        Console.WriteLine($"Warming up for {warmup} s ...");
        await IngestionLoad.MeasureAsync(concurrency, TimeSpan.FromSeconds(warmup * 0.3), _ => IngestionLoad.PutAsync(dynamoDb, ceilingTable));
        await IngestionLoad.MeasureAsync(16, TimeSpan.FromSeconds(warmup * 0.1), _ => PublishBatchAsync(sns, ceilingTopicArn));
        await ClosedLoopAsync(http, subscriber, concurrency, TimeSpan.FromSeconds(warmup * 0.6));
        await subscriber.WaitUntilDrainedAsync(TimeSpan.FromSeconds(60));
        _ = subscriber.TakeReceipts();
        await PurgeAsync(sqs, resources.QueueUrls[CeilingQueue]);

        Console.WriteLine($"PublishBatch ceiling, {ceilingSeconds} s ...");
        var publishBatch = await IngestionLoad.MeasureAsync(16, TimeSpan.FromSeconds(ceilingSeconds), _ => PublishBatchAsync(sns, ceilingTopicArn));
        var publishPerSecond = publishBatch.PerSecond * 10;
        await PurgeAsync(sqs, resources.QueueUrls[CeilingQueue]);

        Console.WriteLine($"Whole system: {concurrency} publishers for {seconds} s ...");
        var cpuBefore = processes.Select(p => p.CpuTime()).ToList();
        var harnessBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var full = await ClosedLoopAsync(http, subscriber, concurrency, TimeSpan.FromSeconds(seconds));
        var harnessCpu = Process.GetCurrentProcess().TotalProcessorTime - harnessBefore;
        var cpuAfter = processes.Select(p => p.CpuTime()).ToList();
        var drainStarted = Stopwatch.GetTimestamp();
        var drained = await subscriber.WaitUntilDrainedAsync(TimeSpan.FromSeconds(300));
        var drainSeconds = Stopwatch.GetElapsedTime(drainStarted).TotalSeconds;
        var fullReceipts = subscriber.TakeReceipts();
        var deliveredInWindow = fullReceipts.Count(r => r.ReceivedAt <= full.EndedAt);

        // The PutItem ceiling and the ingestion service alone, in alternating rounds after the window
        // (DynamoDB Local's JIT keeps speeding it up for minutes, so drift hits both alike). Alone means
        // the stream publisher frozen (SIGSTOP): the ceiling is measured without it, too.
        var (putItems, alone) = (new List<IngestionLoad.Measurement>(), new List<Phase>());
        Signals.Pause(streamPublisher.Process.Id);
        try
        {
            for (var round = 1; round <= rounds; round++)
            {
                putItems.Add(await IngestionLoad.MeasureAsync(concurrency, TimeSpan.FromSeconds(ceilingSeconds), _ => IngestionLoad.PutAsync(dynamoDb, ceilingTable)));
                alone.Add(await ClosedLoopAsync(http, subscriber, concurrency, TimeSpan.FromSeconds(ceilingSeconds)));
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"round {round}: PutItem {putItems[^1].PerSecond:F0}/s, ingestion alone {alone[^1].Accepted / alone[^1].Seconds:F0}/s"));
            }
        }
        finally
        {
            Signals.Resume(streamPublisher.Process.Id);
        }

        await subscriber.WaitUntilDrainedAsync(TimeSpan.FromSeconds(300));
        _ = subscriber.TakeReceipts();
        var putItemCeiling = Median(putItems.Select(m => m.PerSecond));
        var pacedRate = putItemCeiling / 2;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Paced at half the PutItem ceiling ({pacedRate:F0}/s) for {pacedSeconds} s ..."));
        var paced = await PacedAsync(http, subscriber, pacedRate, TimeSpan.FromSeconds(pacedSeconds));
        await subscriber.WaitUntilDrainedAsync(TimeSpan.FromSeconds(120));
        var pacedReceipts = subscriber.TakeReceipts();

        // Half of what the whole system sustained: its latency when it is not saturated.
        var relaxedRate = full.Accepted / full.Seconds / 2;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Paced at half the whole system's rate ({relaxedRate:F0}/s) for {pacedSeconds} s ..."));
        var relaxed = await PacedAsync(http, subscriber, relaxedRate, TimeSpan.FromSeconds(pacedSeconds));
        await subscriber.WaitUntilDrainedAsync(TimeSpan.FromSeconds(120));
        var relaxedReceipts = subscriber.TakeReceipts();

        var report = new SystemLoadReport(
            Machine: $"{Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}",
            Concurrency: concurrency, Seconds: seconds,
            PutItemCeiling: putItemCeiling, PutItemRounds: [.. putItems.Select(m => m.PerSecond)],
            AloneAcceptedPerSecond: Median(alone.Select(a => a.Accepted / a.Seconds)), AloneAcceptLatencyMs: Percentiles(alone.SelectMany(a => a.AcceptLatencies)), PublishBatchCeiling: publishPerSecond,
            AcceptedPerSecond: full.Accepted / full.Seconds, Rejected: full.Rejected,
            DeliveredPerSecond: deliveredInWindow / full.Seconds, MaxLag: full.MaxLag, LagAtEnd: full.Accepted - deliveredInWindow,
            DrainSeconds: drained ? drainSeconds : double.NaN, Unexpected: subscriber.Unexpected,
            AcceptLatencyMs: Percentiles(full.AcceptLatencies), EndToEndLatencyMs: Percentiles(fullReceipts.Select(r => r.LatencyMs)),
            PacedRate: pacedRate, PacedAcceptedPerSecond: paced.Accepted / paced.Seconds, PacedSkipped: paced.Skipped,
            PacedAcceptLatencyMs: Percentiles(paced.AcceptLatencies), PacedEndToEndLatencyMs: Percentiles(pacedReceipts.Select(r => r.LatencyMs)),
            RelaxedRate: relaxedRate, RelaxedAcceptLatencyMs: Percentiles(relaxed.AcceptLatencies), RelaxedEndToEndLatencyMs: Percentiles(relaxedReceipts.Select(r => r.LatencyMs)),
            Processes: [.. processes.Select((p, i) => new ProcessFigures(p.Name, (cpuAfter[i] - cpuBefore[i]).TotalSeconds / full.Seconds,
                (cpuAfter[i] - cpuBefore[i]).TotalMilliseconds / Math.Max(1, full.Accepted), p.PeakRss() / 1048576.0)),
                new ProcessFigures("load generator and subscriber (this harness)", harnessCpu.TotalSeconds / full.Seconds,
                    harnessCpu.TotalMilliseconds / Math.Max(1, full.Accepted), Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0)]);
        Print(report);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(output))!);
        await File.WriteAllTextAsync(output, JsonSerializer.Serialize(report, JsonOptions));
        Console.WriteLine($"JSON: {Path.GetFullPath(output)}");
        return drained ? 0 : 1;
    }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    internal sealed record Phase(int Accepted, int Rejected, double Seconds, long EndedAt, int MaxLag, List<double> AcceptLatencies, int Skipped = 0);

    /// <summary>Publishers that each send the next event as soon as the last one is answered.</summary>
    private static async Task<Phase> ClosedLoopAsync(HttpClient http, SubscriberClock subscriber, int concurrency, TimeSpan duration)
    {
        var (accepted, rejected) = (0, 0);
        var latencies = new List<double>[concurrency];
        var started = Stopwatch.GetTimestamp();
        using var lag = new LagMonitor(subscriber);
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            latencies[worker] = [];
            while (Stopwatch.GetElapsedTime(started) < duration)
            {
                var (ok, latency) = await SendAsync(http, subscriber, Stopwatch.GetTimestamp());
                latencies[worker].Add(latency);
                _ = ok ? Interlocked.Increment(ref accepted) : Interlocked.Increment(ref rejected);
            }
        }));
        var ended = Stopwatch.GetTimestamp();
        return new Phase(accepted, rejected, Stopwatch.GetElapsedTime(started, ended).TotalSeconds, ended, lag.Max, [.. latencies.SelectMany(l => l)]);
    }

    /// <summary>Events sent on a fixed schedule whatever the answers; latency counts from the scheduled
    /// time, so a stall shows in the figures instead of slowing the schedule down.</summary>
    internal static async Task<Phase> PacedAsync(HttpClient http, DeliveryClock subscriber, double rate, TimeSpan duration)
    {
        var (accepted, rejected, skipped) = (0, 0, 0);
        var total = (int)(rate * duration.TotalSeconds);
        var next = -1;
        var latencies = new List<double>[256];
        var started = Stopwatch.GetTimestamp();
        using var lag = new LagMonitor(subscriber);
        await Task.WhenAll(Enumerable.Range(0, latencies.Length).Select(async worker =>
        {
            latencies[worker] = [];
            int slot;
            while ((slot = Interlocked.Increment(ref next)) < total)
            {
                var due = started + (long)(slot / rate * Stopwatch.Frequency);
                if (Stopwatch.GetElapsedTime(due) > TimeSpan.FromSeconds(10))
                {
                    Interlocked.Increment(ref skipped); // so far behind that the rate is out of reach: end on time
                    continue;
                }

                var wait = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), due);
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait);
                }

                var (ok, latency) = await SendAsync(http, subscriber, due);
                latencies[worker].Add(latency);
                _ = ok ? Interlocked.Increment(ref accepted) : Interlocked.Increment(ref rejected);
            }
        }));
        var ended = Stopwatch.GetTimestamp();
        return new Phase(accepted, rejected, Stopwatch.GetElapsedTime(started, ended).TotalSeconds, ended, lag.Max, [.. latencies.SelectMany(l => l)], skipped);
    }

    private static async Task<(bool Accepted, double LatencyMs)> SendAsync(HttpClient http, DeliveryClock subscriber, long sentAt)
    {
        var id = Guid.CreateVersion7().ToString();
        subscriber.Expect(id, sentAt);
        bool ok;
        try
        {
            ok = await IngestionLoad.PostAsync(http, id);
        }
        catch (HttpRequestException)
        {
            ok = false;
        }

        if (!ok)
        {
            subscriber.Forget(id);
        }

        return (ok, Stopwatch.GetElapsedTime(sentAt).TotalMilliseconds);
    }

    /// <summary>Samples the subscriber's outstanding count every 100 ms; its maximum is the worst lag.</summary>
    private sealed class LagMonitor : IDisposable
    {
        private readonly Timer _timer;
        private int _max;

        public LagMonitor(DeliveryClock subscriber) =>
            _timer = new Timer(_ => _max = Math.Max(_max, subscriber.Outstanding), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(100));

        public int Max => _max;

        public void Dispose() => _timer.Dispose();
    }

    private static readonly string CeilingMessage = new('x', 1024);

    private static async Task<bool> PublishBatchAsync(AmazonSimpleNotificationServiceClient sns, string topicArn)
    {
        var response = await sns.PublishBatchAsync(new PublishBatchRequest
        {
            TopicArn = topicArn,
            PublishBatchRequestEntries = [.. Enumerable.Range(0, 10).Select(i => new PublishBatchRequestEntry
            {
                Id = i.ToString(CultureInfo.InvariantCulture), Message = CeilingMessage,
                MessageAttributes = new() { ["type"] = new MessageAttributeValue { DataType = "String", StringValue = "order.created" } },
            })],
        });
        return response.Failed.Count == 0;
    }

    /// <summary>A table shaped like the Events table (key, stream) that nothing reads, for the PutItem ceiling.</summary>
    private static async Task<string> CreateCeilingTableAsync(AmazonDynamoDBClient dynamoDb, string eventsTable)
    {
        var events = (await dynamoDb.DescribeTableAsync(eventsTable)).Table;
        var name = eventsTable + "-ceiling";
        await dynamoDb.CreateTableAsync(new CreateTableRequest
        {
            TableName = name, KeySchema = events.KeySchema, AttributeDefinitions = events.AttributeDefinitions,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            StreamSpecification = new StreamSpecification { StreamEnabled = true, StreamViewType = StreamViewType.NEW_IMAGE },
        });
        return name;
    }

    private static async Task PurgeAsync(AmazonSQSClient sqs, string queueUrl)
    {
        try
        {
            await sqs.PurgeQueueAsync(queueUrl);
        }
        catch (AmazonSQSException e)
        {
            Console.Error.WriteLine($"purge {queueUrl}: {e.ErrorCode} {e.Message}");
        }
    }

    /// <summary>The ingestion load's definition plus a topic with one raw SQS subscription for the PublishBatch ceiling.</summary>
    private static string WriteDefinition()
    {
        var path = IngestionLoad.WriteDefinition();
        var json = JsonNode.Parse(File.ReadAllText(path),
            documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })!.AsObject();
        json["topics"]!.AsArray().Add(new JsonObject { ["name"] = CeilingTopic });
        json["subscriptions"]!.AsArray().Add(new JsonObject
        {
            ["topic"] = CeilingTopic, ["protocol"] = "sqs", ["endpoint"] = CeilingQueue, ["rawMessageDelivery"] = true,
        });
        File.WriteAllText(path, json.ToJsonString());
        return path;
    }

    internal static Percentile3 Percentiles(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return new Percentile3(Percentile(sorted, 0.50), Percentile(sorted, 0.95), Percentile(sorted, 0.99));
    }

    private static void Print(SystemLoadReport r)
    {
        static string F(double v, string format = "F0") => v.ToString(format, CultureInfo.InvariantCulture);
        static string Mark(bool met) => met ? "met" : "**missed**";
        var ingestionRatio = r.AloneAcceptedPerSecond / r.PutItemCeiling;
        var wholeRatio = r.AcceptedPerSecond / r.PutItemCeiling;
        var e2eRatio = r.DeliveredPerSecond / r.AcceptedPerSecond;
        Console.WriteLine();
        Console.WriteLine($"Machine: {r.Machine}. {r.Concurrency} closed-loop publishers for {r.Seconds} s; 1 KiB CloudEvents routed to one SQS subscriber.");
        Console.WriteLine();
        Console.WriteLine("| Figure | Value | Ratio | Target |");
        Console.WriteLine("|---|---|---|---|");
        Console.WriteLine($"| DynamoDB Local, conditional PutItem (1 KiB item, stream on), median of {r.PutItemRounds.Count} rounds | {F(r.PutItemCeiling)}/s ({string.Join(", ", r.PutItemRounds.Select(v => F(v)))}) | | |");
        Console.WriteLine($"| fauxqs SNS, PublishBatch (10 x 1 KiB, one SQS subscription) | {F(r.PublishBatchCeiling)} messages/s | | |");
        Console.WriteLine($"| Ingestion alone (stream publisher paused), accepted (202), median of the same rounds | {F(r.AloneAcceptedPerSecond)}/s | {F(ingestionRatio * 100)} % of PutItem | ≥ 85 %: {Mark(ingestionRatio >= 0.85)} |");
        Console.WriteLine($"| Ingestion alone: latency to 202, p50 / p95 / p99 | {r.AloneAcceptLatencyMs} ms | | |");
        Console.WriteLine($"| Whole system, accepted (202) | {F(r.AcceptedPerSecond)}/s ({r.Rejected} refused) | {F(wholeRatio * 100)} % of PutItem | |");
        Console.WriteLine($"| Whole system, delivered to the subscriber within the window | {F(r.DeliveredPerSecond)}/s | {F(e2eRatio * 100)} % of accepted | ≥ 80 %: {Mark(e2eRatio >= 0.80)} |");
        Console.WriteLine($"| Lag: most events in flight / at the end of the window / drained after | {r.MaxLag} / {r.LagAtEnd} / {F(r.DrainSeconds, "F1")} s | | bounded |");
        Console.WriteLine($"| Whole system: latency to 202, p50 / p95 / p99 | {r.AcceptLatencyMs} ms | | |");
        Console.WriteLine($"| Whole system: latency to receipt, p50 / p95 / p99 | {r.EndToEndLatencyMs} ms | | |");
        Console.WriteLine($"| Paced at half the PutItem ceiling ({F(r.PacedRate)}/s): accepted | {F(r.PacedAcceptedPerSecond)}/s ({r.PacedSkipped} not sent: more than 10 s behind the schedule) | | |");
        Console.WriteLine($"| Paced: latency to 202, p50 / p95 / p99 | {r.PacedAcceptLatencyMs} ms | | |");
        Console.WriteLine($"| Paced: latency to receipt, p50 / p95 / p99 | {r.PacedEndToEndLatencyMs} ms | | p99 ≤ 1000 ms: {Mark(r.PacedEndToEndLatencyMs.P99 <= 1000)} |");
        Console.WriteLine($"| Paced at half the whole system's rate ({F(r.RelaxedRate)}/s): latency to 202, p50 / p95 / p99 | {r.RelaxedAcceptLatencyMs} ms | | |");
        Console.WriteLine($"| Paced at half the whole system's rate: latency to receipt, p50 / p95 / p99 | {r.RelaxedEndToEndLatencyMs} ms | | |");
        Console.WriteLine($"| Messages received that were not expected (duplicates) | {r.Unexpected} | | |");
        Console.WriteLine();
        Console.WriteLine("| Process (full-rate window) | CPU, cores | CPU per accepted event | Peak RSS |");
        Console.WriteLine("|---|---|---|---|");
        foreach (var p in r.Processes)
        {
            Console.WriteLine($"| {p.Name} | {F(p.Cores, "F2")} | {F(p.CpuMsPerEvent, "F3")} ms | {F(p.PeakRssMiB, "F0")} MiB |");
        }
    }
}

internal sealed record Percentile3(double P50, double P95, double P99)
{
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{P50:F1} / {P95:F1} / {P99:F1}");
}

internal sealed record ProcessFigures(string Name, double Cores, double CpuMsPerEvent, double PeakRssMiB);

internal sealed record SystemLoadReport(
    string Machine, int Concurrency, int Seconds, double PutItemCeiling, List<double> PutItemRounds, double AloneAcceptedPerSecond, Percentile3 AloneAcceptLatencyMs, double PublishBatchCeiling,
    double AcceptedPerSecond, int Rejected, double DeliveredPerSecond, int MaxLag, int LagAtEnd, double DrainSeconds, int Unexpected,
    Percentile3 AcceptLatencyMs, Percentile3 EndToEndLatencyMs,
    double PacedRate, double PacedAcceptedPerSecond, int PacedSkipped, Percentile3 PacedAcceptLatencyMs, Percentile3 PacedEndToEndLatencyMs,
    double RelaxedRate, Percentile3 RelaxedAcceptLatencyMs, Percentile3 RelaxedEndToEndLatencyMs,
    List<ProcessFigures> Processes);
