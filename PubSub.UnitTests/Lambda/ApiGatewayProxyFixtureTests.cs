using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using PubSub.Aws.SimpleNotificationService;
using PubSub.Definition;
using PubSub.Events;
using PubSub.Ingestion.Core;
using PubSub.Ingestion.Core.Alerts;
using PubSub.Ingestion.Core.Storage;
using PubSub.Ingestion.Lambda;
using PubSub.LambdaRuntime;
using PubSub.UnitTests.Fakes;

namespace PubSub.UnitTests.Lambda;

/// <summary>The ingestion function against API Gateway REST API (v1) proxy events in the shapes AWS
/// documents (Fixtures/ApiGateway, written from the documented event, not captured): every shape gets
/// a deliberate answer, never a 5xx. The stack told the function: API a1b2c3d4e5, stage live, account 123456789012.</summary>
public sealed class ApiGatewayProxyFixtureTests
{
    private static readonly string Fixtures = Path.Combine(PubSub.Emulators.EmulatorInstallation.Locate().RepositoryRoot,
        "PubSub.UnitTests", "Lambda", "Fixtures", "ApiGateway");

    private readonly FakeEventStore _store = new();

    private IngestionFunction Function()
    {
        var definition = SystemDefinitionLoader.Load(Path.Combine(AppContext.BaseDirectory, "pubsub.json"));
        var settings = new FixedIngestionSettings(new IngestionSettings(definition, FingerprintKey.Development));
        var sns = new FakeSns();
        var alerts = new AlertPublisher(new AlertsTopic(sns, new TopicDirectory(sns, new Dictionary<string, string>()), NullLogger<AlertsTopic>.Instance), settings,
            NullLogger<AlertPublisher>.Instance);
        var ingestor = new EventIngestor(_store, new FakeIngestionDeadLetterQueue(), settings, new EventStoreSettings("t", TimeSpan.FromDays(30), "us-east-1"),
            new RecordingAlertSink(), new IngestionMetrics(new TestMeterFactory()), TimeProvider.System, NullLogger<EventIngestor>.Instance);
        return new IngestionFunction(new IngestionCore(ingestor, alerts), new Dictionary<string, string> { ["k7demo01"] = "demo" },
            new TrustedApi("a1b2c3d4e5", "live", "123456789012"), NullLogger<IngestionFunction>.Instance);
    }

    [Theory]
    [InlineData("structured-event", 202, null)]
    [InlineData("structured-event-base64", 202, null)]
    [InlineData("binary-mode-mixed-case-headers", 202, null)]
    [InlineData("plain-json-idempotency-key", 202, null)]
    [InlineData("headers-without-multivalue-headers", 202, null)]
    [InlineData("multivalue-headers-only", 202, null)]
    [InlineData("repeated-header", 202, null)]
    [InlineData("batch", 202, null)]
    [InlineData("null-headers", 415, "unsupported-media-type")]
    [InlineData("null-body", 400, "malformed-json")]
    [InlineData("body-with-bom", 400, "malformed-json")]
    [InlineData("base64-flag-on-plain-text", 400, "malformed-json")]
    [InlineData("no-api-key-id", 403, "invalid-api-key")]
    [InlineData("unknown-api-key-id", 403, "invalid-api-key")]
    [InlineData("another-api", 403, "forbidden")]
    [InlineData("console-test-invoke-stage", 403, "forbidden")]
    [InlineData("another-account", 403, "forbidden")]
    [InlineData("no-request-context", 403, "forbidden")]
    [InlineData("get-method", 404, "not-found")]
    public async Task Each_documented_proxy_event_shape_gets_its_answer(string fixture, int status, string? problem)
    {
        var request = await File.ReadAllBytesAsync(Path.Combine(Fixtures, fixture + ".json"));

        var response = JsonDocument.Parse(await Function().HandleAsync(
            new LambdaInvocation("inv-1", DateTimeOffset.UtcNow.AddSeconds(30), null, null, request), CancellationToken.None)).RootElement;

        Assert.Equal(status, response.GetProperty("statusCode").GetInt32());
        var body = JsonDocument.Parse(response.GetProperty("body").GetString()!).RootElement;
        if (problem is null)
        {
            Assert.Equal("application/json", response.GetProperty("headers").GetProperty("Content-Type").GetString());
            Assert.NotEmpty(_store.Items);
        }
        else
        {
            Assert.Equal("application/problem+json", response.GetProperty("headers").GetProperty("Content-Type").GetString());
            Assert.Equal("urn:pubsub:problem:" + problem, body.GetProperty("type").GetString());
            Assert.Empty(_store.Items);
        }
    }

    [Fact]
    public void Every_fixture_is_tested()
    {
        var tested = typeof(ApiGatewayProxyFixtureTests).GetMethod(nameof(Each_documented_proxy_event_shape_gets_its_answer))!
            .GetCustomAttributes(typeof(InlineDataAttribute), false).Cast<InlineDataAttribute>()
            .Select(a => (string)a.GetData(null!).Single()[0]).Order();

        Assert.Equal(Directory.GetFiles(Fixtures, "*.json").Select(Path.GetFileNameWithoutExtension).Order(), tested);
    }

    [Fact]
    public void Without_the_api_the_stack_names_the_function_refuses_to_start()
    {
        var settings = new PubSub.Functions.FunctionSettings
        {
            Definition = SystemDefinitionLoader.Load(Path.Combine(AppContext.BaseDirectory, "pubsub.json")),
            Region = "us-east-1",
            ApiId = "a1b2c3d4e5",
            ApiStage = "live",
        };

        var error = Assert.Throws<InvalidOperationException>(() => IngestionFunctionFactory.TrustedApiOf(settings));

        Assert.Contains("PUBSUB_ACCOUNT_ID", error.Message, StringComparison.Ordinal);
    }
}
