using System.Diagnostics;
using static PubSub.Benchmarks.Load.LoadMath;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2;
using Amazon.SQS;
using Microsoft.Extensions.Logging.Abstractions;
using PubSub.Aws;
using Amazon.DynamoDBStreams;
using Amazon.DynamoDBStreams.Model;
using Amazon.SimpleNotificationService;
using PubSub.Aws.DynamoDBStreams;
using PubSub.Benchmarks.Core;
using PubSub.Definition;
using PubSub.Events;
using PubSub.Json;
using PubSub.Emulators;
using PubSub.Provisioning;

namespace PubSub.Benchmarks.Load;

/// <summary>Measures the deployment zip's Native AOT bootstrap as Lambda would run it, against a
/// Runtime API emulator and the AWS emulators: its size, its cold init (process start to the first
/// <c>next</c> request, handler and AWS clients created), and its memory and latency over many
/// invocations of each handler.</summary>
internal static class LambdaRuntimeLoad
{
    public static async Task<int> RunAsync(string[] args)
    {
        var starts = Option(args, "--starts", 15);
        var invocations = Option(args, "--invocations", 1000);

        await using var emulators = await EmbeddedEmulators.StartAsync();
        foreach (var (name, value) in emulators.EnvironmentVariables)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        var installation = EmulatorInstallation.Locate();
        var definition = SystemDefinitionLoader.Load(Path.Combine(installation.RepositoryRoot, "pubsub.json"));
        using (var dynamoDb = new AmazonDynamoDBClient())
        using (var sqs = new AmazonSQSClient())
        using (var s3 = AwsClientFactory.CreateS3())
        using (var sns = new AmazonSimpleNotificationServiceClient())
        {
            await new LocalProvisioner(dynamoDb, sqs, s3, sns, NullLogger<LocalProvisioner>.Instance).ProvisionAsync(definition, default);
        }

        Console.WriteLine("Building the deployment zips (eng/package-lambda.sh) ...");
        var folder = await LambdaPackage.BuildAsync(installation.RepositoryRoot);
        var environment = new Dictionary<string, string> { ["PUBSUB_API_KEYS"] = "kid-demo=demo", ["PUBSUB_LOG_LEVEL"] = "Warning",
            ["PUBSUB_FINGERPRINT_KEY"] = "load-harness-fingerprint-key-0123456789",
            ["PUBSUB_API_ID"] = "a1b2c3d4e5", ["PUBSUB_API_STAGE"] = "live", ["PUBSUB_ACCOUNT_ID"] = "123456789012" };

        var rows = new List<(string, string)>();
        foreach (var handler in new[] { LambdaPackage.Ingestion, LambdaPackage.StreamPublisher })
        {
            var zip = LambdaPackage.ZipOf(folder, handler);
            var taskRoot = LambdaPackage.Extract(zip);
            rows.Add(($"{handler}: bootstrap size (zip)",
                $"{new FileInfo(Path.Combine(taskRoot, "bootstrap")).Length / 1048576.0:0.0} MiB ({new FileInfo(zip).Length / 1048576.0:0.0} MiB)"));
            var init = new List<double>();
            for (var i = 0; i < starts; i++)
            {
                await using var api = await LambdaRuntimeApiEmulator.StartAsync();
                var started = Stopwatch.GetTimestamp();
                await using var function = LambdaExecutable.Start(taskRoot, handler, api.Address, environment);
                var firstNext = await api.FirstNextRequested.WaitAsync(TimeSpan.FromSeconds(30));
                init.Add(Stopwatch.GetElapsedTime(started, firstNext).TotalMilliseconds);
            }

            rows.Add(($"{handler}: cold init, median of {starts} (min, max)",
                $"{Median(init):0.0} ms ({init.Min():0.0}, {init.Max():0.0})"));

            await using (var api = await LambdaRuntimeApiEmulator.StartAsync())
            {
                await using var function = LambdaExecutable.Start(taskRoot, handler, api.Address, environment);
                var latencies = new List<double>(invocations);
                var errors = 0;
                for (var i = 0; i < invocations; i++)
                {
                    var payload = handler == "ingestion" ? ApiGatewayPost(i) : StreamEvent();
                    var started = Stopwatch.GetTimestamp();
                    var outcome = await api.InvokeAsync(payload);
                    latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                    errors += outcome.IsError || !outcome.BodyText.Contains(handler == "ingestion" ? "\"statusCode\":202" : "\"batchItemFailures\":[]", StringComparison.Ordinal) ? 1 : 0;
                }

                var (current, peak) = function.Memory();
                latencies.Sort();
                rows.Add(($"{handler}: RSS after {invocations} invocations (peak)", $"{current / 1048576.0:0.0} MiB ({peak / 1048576.0:0.0} MiB)"));
                rows.Add(($"{handler}: invocation p50 / p99 (through the Runtime API emulator)",
                    $"{Percentile(latencies, 0.5):0.00} / {Percentile(latencies, 0.99):0.00} ms"));
                rows.Add(($"{handler}: invocations not answered as expected", errors.ToString(CultureInfo.InvariantCulture)));
            }
        }

        Console.WriteLine();
        Console.WriteLine("| Measure | Value |");
        Console.WriteLine("|---|---|");
        foreach (var (measure, value) in rows)
        {
            Console.WriteLine($"| {measure} | {value} |");
        }

        return 0;
    }

    private static readonly string Data = SamplePayloads.OrderCreated(1024);

    private static byte[] ApiGatewayPost(int i)
    {
        var body = Data.Replace("0190a3b8-7c1e-7d3a-9f1b-5e2c4a6d8e01", Guid.NewGuid().ToString(), StringComparison.Ordinal);
        var request = new JsonObject
        {
            ["resource"] = "/events",
            ["path"] = "/events",
            ["httpMethod"] = "POST",
            ["headers"] = new JsonObject { ["Content-Type"] = "application/cloudevents+json" },
            ["body"] = body,
            ["isBase64Encoded"] = false,
            ["requestContext"] = new JsonObject
            {
                ["requestId"] = i.ToString(CultureInfo.InvariantCulture),
                ["apiId"] = "a1b2c3d4e5",
                ["stage"] = "live",
                ["accountId"] = "123456789012",
                ["identity"] = new JsonObject { ["apiKeyId"] = "kid-demo" },
            },
        };
        return Encoding.UTF8.GetBytes(request.ToJsonString());
    }

    /// <summary>A batch of ten INSERT records of ~1 KiB events, as the event source mapping sends them.</summary>
    private static byte[] StreamEvent()
    {
        var records = Enumerable.Range(0, 10).Select(i =>
        {
            var envelope = new EventEnvelope
            {
                Id = Guid.NewGuid().ToString(),
                Source = "bench",
                Type = "order.created",
                Data = JsonPayload.FromString($$"""{"orderId":{{i + 1}},"note":"{{new string('x', 900)}}"}"""),
                Publisher = "demo",
                ReceivedAt = DateTimeOffset.UtcNow,
                OriginRegion = "us-east-1",
            };
            return StreamRecordJson.Serialize(new Record
            {
                EventId = envelope.Id,
                EventName = OperationType.INSERT,
                EventSource = "aws:dynamodb",
                AwsRegion = "us-east-1",
                Dynamodb = new StreamRecord
                {
                    ApproximateCreationDateTime = DateTimeOffset.UtcNow,
                    Keys = new() { [EventItem.Key] = new() { S = EventItem.KeyOf(envelope.Publisher, envelope.Id) } },
                    NewImage = EventItem.ToItem(envelope, TimeSpan.FromDays(1)),
                    SequenceNumber = (i + 1).ToString("D21", CultureInfo.InvariantCulture),
                    StreamViewType = "NEW_IMAGE",
                },
            });
        });
        return Encoding.UTF8.GetBytes($"{{\"Records\":[{string.Join(",", records)}]}}");
    }
}
