using System.Diagnostics;
using static PubSub.Benchmarks.Load.LoadMath;
using System.Globalization;
using System.Net;
using System.Text;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using PubSub.Benchmarks.Core;
using PubSub.Definition;
using PubSub.Events;

namespace PubSub.Benchmarks.Load;

/// <summary>Measures, in one run and on one fresh DynamoDB Local, the emulator's own conditional
/// PutItem rate and the rate at which the ingestion host (the Release build, as its own process)
/// accepts 1 KiB CloudEvents, with the same number of concurrent callers; rounds alternate so that
/// drift hits both alike. Prints each round, the medians and their ratio.</summary>
internal static class IngestionLoad
{
    public const string ApiKey = "load-test-key-5Jd8Ks2Wq7Ly3Nf6Rb9T";

    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = Option(args, "--seconds", 15);
        var concurrency = Option(args, "--concurrency", 32);
        var warmup = Option(args, "--warmup", 25);
        var rounds = Option(args, "--rounds", 3);

        var definitionPath = WriteDefinition();
        var (emulators, definition, _) = await LoadEnvironment.StartAsync(definitionPath);
        await using var running = emulators;
        using var dynamoDb = new AmazonDynamoDBClient();

        var settings = new Dictionary<string, string> { ["PubSub__Definition"] = definitionPath, ["Publishers__load__ApiKey"] = ApiKey };
        foreach (var (name, value) in HostEnvironment(args))
        {
            settings[name] = value;
        }

        using var ingestion = ReleaseService.Start("PubSub.Ingestion", emulators, settings);
        await ingestion.WaitForHealthAsync();
        return await MeasureAllAsync(ingestion.Process, ingestion.BaseUrl, dynamoDb, definition, seconds, concurrency, warmup, rounds);
    }

    private static async Task<int> MeasureAllAsync(Process ingestion, Uri baseUrl, AmazonDynamoDBClient dynamoDb, SystemDefinition definition,
        int seconds, int concurrency, int warmup, int rounds)
    {
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency }) { BaseAddress = baseUrl };

        Console.WriteLine($"Warming up for {warmup} s (DynamoDB Local is slow until its JIT has run) ...");
        await MeasureAsync(concurrency, TimeSpan.FromSeconds(warmup * 0.7), _ => PutAsync(dynamoDb, definition));
        await MeasureAsync(concurrency, TimeSpan.FromSeconds(warmup * 0.3), _ => PostAsync(http));

        var direct = new List<Measurement>();
        var viaHost = new List<Measurement>();
        var hostCpu = new List<double>();
        for (var round = 1; round <= rounds; round++)
        {
            direct.Add(await MeasureAsync(concurrency, TimeSpan.FromSeconds(seconds), _ => PutAsync(dynamoDb, definition)));
            ingestion.Refresh();
            var cpuBefore = ingestion.TotalProcessorTime;
            viaHost.Add(await MeasureAsync(concurrency, TimeSpan.FromSeconds(seconds), _ => PostAsync(http)));
            ingestion.Refresh();
            hostCpu.Add((ingestion.TotalProcessorTime - cpuBefore).TotalMilliseconds / (viaHost[^1].PerSecond * seconds));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"round {round}: DynamoDB Local conditional PutItem {direct[^1].PerSecond:F0}/s; ingestion host 202s {viaHost[^1].PerSecond:F0}/s ({viaHost[^1].Errors} errors), host CPU {hostCpu[^1]:F3} ms per event"));
        }

        Report(concurrency, seconds, direct, viaHost);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| ingestion host CPU per accepted event (median) | {Median(hostCpu):F3} ms |"));
        return 0;
    }

    private static void Report(int concurrency, int seconds, List<Measurement> direct, List<Measurement> viaHost)
    {
        var a = Median(direct.Select(m => m.PerSecond));
        var b = Median(viaHost.Select(m => m.PerSecond));
        var latencies = viaHost.SelectMany(m => m.Latencies).Order().ToList();
        Console.WriteLine();
        Console.WriteLine($"| {concurrency} concurrent callers, {direct.Count} rounds of {seconds} s | median per second |");
        Console.WriteLine("|---|---|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| DynamoDB Local, conditional PutItem (1 KiB event item) | {a:F0} |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| ingestion host, POST /events answered 202 (1 KiB CloudEvent) | {b:F0} |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| ratio | {b / a:P0} |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| ingestion latency p50 / p95 / p99 | {Percentile(latencies, 0.50):F1} / {Percentile(latencies, 0.95):F1} / {Percentile(latencies, 0.99):F1} ms |"));
    }

    public static Task<bool> PutAsync(AmazonDynamoDBClient dynamoDb, SystemDefinition definition) => PutAsync(dynamoDb, definition.Events.Table);

    /// <summary>A conditional PutItem of a 1 KiB event item, as the ingestion service writes it.</summary>
    public static async Task<bool> PutAsync(AmazonDynamoDBClient dynamoDb, string table)
    {
        var envelope = new EventEnvelope
        {
            Id = Guid.CreateVersion7().ToString(), Source = "load", Type = "order.created", Data = PubSub.Json.JsonPayload.FromString(Data),
            DataContentType = "application/json", Publisher = "load", ReceivedAt = DateTimeOffset.UtcNow, OriginRegion = "us-east-1",
        };
        await dynamoDb.PutItemAsync(new PutItemRequest
        {
            TableName = table,
            Item = EventItem.ToItem(envelope, TimeSpan.FromDays(1)),
            ConditionExpression = "attribute_not_exists(#key)",
            ExpressionAttributeNames = new Dictionary<string, string> { ["#key"] = EventItem.Key },
        });
        return true;
    }

    private static readonly string Template = SamplePayloads.OrderCreated(1024).Replace("0190a3b8-7c1e-7d3a-9f1b-5e2c4a6d8e01", "{ID}", StringComparison.Ordinal);
    private static readonly string Data = Template[(Template.IndexOf("\"data\":", StringComparison.Ordinal) + 7)..^2].Trim();

    /// <summary>The 1 KiB <c>order.created</c> CloudEvent with the given id.</summary>
    public static string EventJson(string id) => Template.Replace("{ID}", id, StringComparison.Ordinal);

    private static async Task<bool> PostAsync(HttpClient http) => await PostAsync(http, Guid.CreateVersion7().ToString());

    /// <summary>Posts the 1 KiB <c>order.created</c> CloudEvent with the given id as the publisher <c>load</c>; true on 202.</summary>
    public static async Task<bool> PostAsync(HttpClient http, string id)
    {
        using var content = new StringContent(EventJson(id), Encoding.UTF8);
        content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/cloudevents+json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/events") { Content = content };
        request.Headers.Add("x-api-key", ApiKey);
        using var response = await http.SendAsync(request);
        return response.StatusCode == HttpStatusCode.Accepted;
    }

    public sealed record Measurement(double PerSecond, int Errors, List<double> Latencies);

    public static async Task<Measurement> MeasureAsync(int concurrency, TimeSpan duration, Func<int, Task<bool>> call)
    {
        var ok = 0;
        var errors = 0;
        var latencies = new List<double>[concurrency];
        var started = Stopwatch.GetTimestamp();
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async worker =>
        {
            latencies[worker] = [];
            while (Stopwatch.GetElapsedTime(started) < duration)
            {
                var before = Stopwatch.GetTimestamp();
                bool success;
                try
                {
                    success = await call(worker);
                }
                catch (Exception e) when (e is HttpRequestException or AmazonDynamoDBException or Amazon.Runtime.AmazonClientException)
                {
                    success = false;
                }

                latencies[worker].Add(Stopwatch.GetElapsedTime(before).TotalMilliseconds);
                _ = success ? Interlocked.Increment(ref ok) : Interlocked.Increment(ref errors);
            }
        }));
        return new Measurement(ok / Stopwatch.GetElapsedTime(started).TotalSeconds, errors, [.. latencies.SelectMany(l => l)]);
    }

    /// <summary><c>--host-env NAME=VALUE</c> (repeatable): extra environment for the ingestion host, to compare settings.</summary>
    private static Dictionary<string, string> HostEnvironment(string[] args) =>
        args.Select((a, i) => (a, i)).Where(x => x.a == "--host-env" && x.i + 1 < args.Length)
            .Select(x => args[x.i + 1].Split('=', 2)).ToDictionary(p => p[0], p => p.Length > 1 ? p[1] : "");

    /// <summary>The repository's definition plus a publisher without a plan, so the plan is not what is measured.</summary>
    public static string WriteDefinition()
    {
        var path = Path.Combine(Path.GetTempPath(), $"pubsub-load-{Environment.ProcessId}.json");
        var json = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "pubsub.json"))
            .Replace("\"publishers\": [", "\"publishers\": [ { \"name\": \"load\", \"sensitiveData\": \"flag\" },", StringComparison.Ordinal);
        File.WriteAllText(path, json);
        return path;
    }
}
