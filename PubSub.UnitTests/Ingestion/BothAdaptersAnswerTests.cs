using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using PubSub.Aws.SimpleNotificationService;
using PubSub.Definition;
using PubSub.Events;
using PubSub.Ingestion.Apis;
using PubSub.Ingestion.Authentication;
using PubSub.Ingestion.Core;
using PubSub.Ingestion.Core.Alerts;
using PubSub.Ingestion.Core.Storage;
using PubSub.Ingestion.Hosting;
using PubSub.Ingestion.Lambda;
using PubSub.LambdaRuntime;
using PubSub.UnitTests.Fakes;

namespace PubSub.UnitTests.Ingestion;

/// <summary>The same requests through the local host's endpoint and through the Lambda function, each over a core
/// of its own in the same state: the same status, headers and body, byte for byte, for every kind of answer.</summary>
public sealed class BothAdaptersAnswerTests : IDisposable
{
    private const string CloudEvents = "application/cloudevents+json", Batch = "application/cloudevents-batch+json";
    private static readonly string[] Publishers = ["demo", "acme", "off"];
    private readonly string _folder = Directory.CreateTempSubdirectory().FullName;
    private readonly SystemDefinitionMonitor _monitor;
    private readonly (FakeEventStore Store, FakeIngestionDeadLetterQueue DeadLetters, EventsApiServices Services) _local;
    private readonly (FakeEventStore Store, FakeIngestionDeadLetterQueue DeadLetters, IngestionFunction Function) _lambda;

    public BothAdaptersAnswerTests()
    {
        var path = Path.Combine(_folder, "pubsub.json");
        File.WriteAllText(path, File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "pubsub.json"))
            .Replace("\"publishers\": [", "\"publishers\": [ { \"name\": \"off\", \"enabled\": false },", StringComparison.Ordinal));
        _monitor = new SystemDefinitionMonitor(path, SystemDefinitionLoader.Load(path), NullLogger<SystemDefinitionMonitor>.Instance);
        var keys = new ConfigurationBuilder().AddInMemoryCollection(Publishers
            .ToDictionary(p => $"Publishers:{p}:ApiKey", p => (string?)$"key-of-{p}")).Build();

        var (store, deadLetters, core) = Core();
        var access = new PublisherAccess(_monitor, keys, new UsageLimiter(TimeProvider.System), NullLogger<PublisherAccess>.Instance);
        var limits = new HostLimits();
        _local = (store, deadLetters, new EventsApiServices(core.Ingestor, access, new InFlightLimiter(limits), limits, TimeProvider.System));

        (store, deadLetters, core) = Core();
        _lambda = (store, deadLetters, new IngestionFunction(core, new Dictionary<string, string> { ["id-demo"] = "demo", ["id-acme"] = "acme", ["id-off"] = "off" },
            new TrustedApi("api", "live", "123456789012"), NullLogger<IngestionFunction>.Instance));
    }

    public void Dispose()
    {
        _monitor.Dispose();
        Directory.Delete(_folder, recursive: true);
    }

    private (FakeEventStore, FakeIngestionDeadLetterQueue, IngestionCore) Core()
    {
        var settings = new FixedIngestionSettings(new IngestionSettings(_monitor.Current, FingerprintKey.Development));
        var (store, deadLetters, sns) = (new FakeEventStore(), new FakeIngestionDeadLetterQueue(), new FakeSns());
        var alerts = new AlertPublisher(new AlertsTopic(sns, new TopicDirectory(sns, new Dictionary<string, string>()), NullLogger<AlertsTopic>.Instance), settings,
            NullLogger<AlertPublisher>.Instance);
        var ingestor = new EventIngestor(store, deadLetters, settings, new EventStoreSettings("t", TimeSpan.FromDays(30), "us-east-1"), alerts,
            new IngestionMetrics(new TestMeterFactory()), TimeProvider.System, NullLogger<EventIngestor>.Instance);
        return (store, deadLetters, new IngestionCore(ingestor, alerts));
    }

    private static string Event(string id, string data = """{"orderId":1}""") =>
        $$$"""{"specversion":"1.0","id":"{{{id}}}","source":"shop","type":"order.created","data":{{{data}}}}""";

    [Fact]
    public async Task Every_kind_of_answer_is_the_same_from_both_adapters()
    {
        var cases = new (string Publisher, string ContentType, string Body, int Expected)[]
        {
            ("demo", CloudEvents, Event("e1"), 202),
            ("demo", CloudEvents, Event("e1"), 200),
            ("demo", CloudEvents, Event("e1", """{"orderId":2}"""), 422), // the id reused for another event
            ("demo", CloudEvents, Event("e2", """{"orderId":"x"}"""), 422),
            ("demo", Batch, $$"""[{{Event("b1")}},{{Event("b2", """{"orderId":0}""")}},{"specversion":"1.0"}]""", 207),
            ("demo", Batch, $"[{Event("b3")},{Event("b1")}]", 202),
            ("demo", CloudEvents, """{"specversion":"1.0","id":"a","source":"s","type":"t","data":""", 400),
            ("demo", CloudEvents, """{"specversion":"1.0","id":"a","source":"s"}""", 400),
            ("demo", "text/plain", "hello", 415),
            ("demo", CloudEvents, Event("big", $"\"{new string('x', 300 * 1024)}\""), 413),
            ("demo", Batch, new string(' ', 1024 * 1024 + 1), 413),
            ("acme", CloudEvents, Event("s1", """{"orderId":1,"card":"4111 1111 1111 1111"}"""), 422),
            ("off", CloudEvents, Event("o1"), 403),
        };

        foreach (var (publisher, contentType, body, expected) in cases)
        {
            await AssertSameAsync(publisher, contentType, body, expected);
        }
    }

    [Fact]
    public async Task An_event_neither_the_table_nor_the_DLQ_took_is_the_same_503_with_Retry_After_from_both()
    {
        foreach (var (store, deadLetters) in new[] { (_local.Store, _local.DeadLetters), (_lambda.Store, _lambda.DeadLetters) })
        {
            (store.Down, deadLetters.Down) = (true, true);
        }

        var one = await AssertSameAsync("demo", CloudEvents, Event("d1"), 503);
        var batch = await AssertSameAsync("demo", Batch, $"[{Event("d2")}]", 207);

        Assert.Equal(("5", "5"), (one.RetryAfter, batch.RetryAfter));
    }

    /// <summary>Review (s13): the Lambda adapter used to refuse a disabled publisher before looking at the body;
    /// the core now checks the size first, so a disabled publisher's oversized body is 413 from Lambda and 403 locally.</summary>
    [Fact]
    public async Task Review_a_disabled_publishers_oversized_body_is_the_same_403_from_both()
    {
        await AssertSameAsync("off", Batch, new string(' ', 1024 * 1024 + 1), 403);
    }

    /// <summary>API Gateway's base64 is the Lambda adapter's alone; the core refuses a body the adapter could not read,
    /// after its publisher check, so a disabled publisher hears 403 here too, whatever it sends.</summary>
    [Fact]
    public async Task A_body_marked_base64_that_is_not_is_400_for_a_publisher_and_403_for_a_disabled_one()
    {
        var enabled = await LambdaAsync("demo", CloudEvents, "not base64!", base64: true);
        var disabled = await LambdaAsync("off", CloudEvents, "not base64!", base64: true);
        var encoded = await LambdaAsync("demo", CloudEvents, Convert.ToBase64String(Encoding.UTF8.GetBytes(Event("b64"))), base64: true);

        Assert.Equal((400, 403, 202), (enabled.Status, disabled.Status, encoded.Status));
        Assert.Contains("marked base64", enabled.Body, StringComparison.Ordinal);
    }

    private async Task<Answer> AssertSameAsync(string publisher, string contentType, string body, int expected)
    {
        var local = await LocalAsync(publisher, contentType, body);
        var lambda = await LambdaAsync(publisher, contentType, body);

        var what = $"{publisher} {contentType} {body[..Math.Min(body.Length, 80)]}";
        Assert.True(local.Status == expected, $"{what}: local answered {local.Status}, not {expected}");
        Assert.Equal(local with { Body = "" }, lambda with { Body = "" });
        Assert.True(local.Body == lambda.Body, $"{what}: the bodies differ:\n{local.Body}\n{lambda.Body}");
        return local;
    }

    private async Task<Answer> LocalAsync(string publisher, string contentType, string body)
    {
        var context = new DefaultHttpContext();
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Request.Method = "POST";
        context.Request.ContentType = contentType;
        context.Request.ContentLength = bytes.Length;
        context.Request.Body = new MemoryStream(bytes);
        context.Request.Headers[EventsApi.ApiKeyHeader] = $"key-of-{publisher}";
        var sent = new MemoryStream();
        context.Response.Body = sent;

        var result = await EventsApi.PostEvents(context.Request, _local.Services, CancellationToken.None);
        await result.ExecuteAsync(context);

        var headers = context.Response.Headers;
        return new Answer(context.Response.StatusCode, context.Response.ContentType, headers.Location.ToString() is { Length: > 0 } l ? l : null,
            headers.RetryAfter.ToString() is { Length: > 0 } r ? r : null, Encoding.UTF8.GetString(sent.ToArray()));
    }

    private async Task<Answer> LambdaAsync(string publisher, string contentType, string body, bool base64 = false)
    {
        var request = JsonSerializer.SerializeToUtf8Bytes(new ApiGatewayProxyRequest
        {
            Resource = "/events",
            Path = "/events",
            HttpMethod = "POST",
            Headers = new() { ["Content-Type"] = contentType },
            Body = body,
            IsBase64Encoded = base64,
            RequestContext = new ApiGatewayRequestContext
            {
                ApiId = "api", Stage = "live", AccountId = "123456789012", Identity = new ApiGatewayIdentity { ApiKeyId = $"id-{publisher}" },
            },
        }, ApiGatewayJsonContext.Default.ApiGatewayProxyRequest);

        var response = JsonSerializer.Deserialize((await _lambda.Function.HandleAsync(
            new LambdaInvocation("inv-1", DateTimeOffset.UtcNow.AddSeconds(30), null, null, request), CancellationToken.None)).Span,
            ApiGatewayJsonContext.Default.ApiGatewayProxyResponse)!;

        return new Answer(response.StatusCode, response.Headers.GetValueOrDefault("Content-Type"), response.Headers.GetValueOrDefault("Location"),
            response.Headers.GetValueOrDefault("Retry-After"), response.Body ?? "");
    }

    private sealed record Answer(int Status, string? ContentType, string? Location, string? RetryAfter, string Body);
}
