using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PubSub.Definition;
using PubSub.Events;
using PubSub.Ingestion.Core;
using PubSub.Ingestion.Core.Storage;
using PubSub.Ingestion.Core.Validation;
using PubSub.Json;
using PubSub.UnitTests.Fakes;

namespace PubSub.UnitTests.Ingestion;

/// <summary>The whole core accepts only what SNS can deliver, and answers a 4xx (never an exception)
/// for whatever a publisher sends, under every sensitive-data policy.</summary>
public sealed class DeliverableEventTests
{
    private readonly FakeEventStore _store = new();
    private readonly EventIngestor _ingestor;

    public DeliverableEventTests()
    {
        var definition = SystemDefinitionLoader.Load(Path.Combine(AppContext.BaseDirectory, "pubsub.json"));
        definition = definition with
        {
            Publishers = [.. definition.Publishers, new PublisherDefinition("careful", SensitiveData: SensitiveDataPolicy.Redact)],
        };
        _ingestor = new EventIngestor(_store, new FakeIngestionDeadLetterQueue(), new FixedIngestionSettings(new IngestionSettings(definition, FingerprintKey.Development)),
            new EventStoreSettings("t", TimeSpan.FromDays(30), "us-east-1"), new RecordingAlertSink(), new IngestionMetrics(new TestMeterFactory()),
            new FakeTimeProvider(DateTimeOffset.Parse("2024-05-01T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture)),
            NullLogger<EventIngestor>.Instance);
    }

    private async Task<Problem?> ProblemOfAsync(string body, string publisher, string contentType = "application/cloudevents+json",
        Dictionary<string, string>? headers = null)
    {
        var response = await _ingestor.IngestAsync(new IngestionRequest(publisher, contentType, headers ?? [],
            Encoding.UTF8.GetBytes(body)), CancellationToken.None);
        return response switch
        {
            IngestionResponse.Refused refused => refused.Problem,
            IngestionResponse.One { Result: IngestionResult.Rejected rejected } => rejected.Problem,
            _ => null,
        };
    }

    [Theory]
    [InlineData("demo")] // flag: scans the data
    [InlineData("acme")] // reject
    [InlineData("careful")] // redact
    [InlineData("nobody-in-particular")] // the default policy, allow
    public async Task Lone_surrogate_escapes_are_a_400_under_every_policy(string publisher)
    {
        foreach (var body in new[]
                 {
                     """{"specversion":"1.0","id":"\ud800","source":"s","type":"t"}""",
                     """{"specversion":"1.0","id":"e","source":"s","type":"t","data":{"x":"\udc00"}}""",
                     """{"specversion":"1.0","id":"e","source":"s","type":"t","tenant":"\udc00 4111 1111 1111 1111"}""",
                     """{"specversion":"1.0","id":"e","source":"s","type":"t","data":{"\ud800jane@example.com":"x"}}""",
                 })
        {
            var problem = await ProblemOfAsync(body, publisher);

            Assert.Equal((400, "urn:pubsub:problem:invalid-characters"), (problem?.Status, problem?.Type));
        }

        Assert.Empty(_store.Items);
    }

    [Theory]
    [InlineData("1e400")]
    [InlineData("-1e400")]
    [InlineData("1e-400")]
    [InlineData("123456789012345678901234567890123456789012345678901234567890")]
    [InlineData("1.00000000000000000000000000000000000000000000000000000001")]
    public async Task Numbers_no_type_can_hold_are_checked_against_a_schema_without_a_500(string number)
    {
        var problem = await ProblemOfAsync(
            $$$"""{"specversion":"1.0","id":"n","source":"s","type":"order.created","data":{"orderId":{{{number}}},"total":{{{number}}}}}""", "demo");

        Assert.True(problem is null || problem.Status is >= 400 and < 500, problem?.Detail);
    }

    [Fact]
    public async Task An_event_whose_message_would_exceed_what_sns_takes_is_a_413_naming_size_and_limit()
    {
        // The body is within the request limit, but the message adds the envelope's attributes.
        var chunk = new string('x', 60_000);
        var body = $$"""{"type":"t","a":"{{chunk}}","b":"{{chunk}}","c":"{{chunk}}","d":"{{chunk}}","e":"{{chunk[..22_000]}}"}""";
        Assert.InRange(DeliverySize.SnsMessageBytes - Encoding.UTF8.GetByteCount(body), 0, 200);
        Assert.True(Encoding.UTF8.GetByteCount(body) <= PubSub.Ingestion.Core.Parsing.EventLimits.MaxEventBytes);

        var problem = await ProblemOfAsync(body, "nobody-in-particular", "application/json");

        Assert.Equal((413, "urn:pubsub:problem:message-too-large"), (problem?.Status, problem?.Type));
        Assert.Contains("262,144", problem!.Detail, StringComparison.Ordinal);
        Assert.Empty(_store.Items);
    }

    [Fact]
    public async Task Redaction_that_grows_the_event_past_what_sns_takes_is_a_413()
    {
        // Redaction replaces each token that holds a finding by a longer marker: thousands of short
        // addresses grow an event that fits into one that does not.
        var members = string.Concat(Enumerable.Range(0, 3_000).Select(i => $",\"e{i}\":\"ab@cd.io\""));
        var pad = string.Join(',', Enumerable.Range(0, 4).Select(i => $"\"p{i}\":\"{new string('x', 50_000)}\""));
        var data = $"{{{pad}{members}}}";
        var body = $$$"""{"specversion":"1.0","id":"big","source":"s","type":"t","data":{{{data}}}}""";
        var redacted = PubSub.Sensitive.SensitiveDataScanner.Redact(Encoding.UTF8.GetBytes(data));
        Assert.True(Encoding.UTF8.GetByteCount(body) < DeliverySize.SnsMessageBytes, "the premise: the event as sent fits");
        Assert.True(redacted.Length > DeliverySize.SnsMessageBytes, "the premise: redaction grows this data past the limit");

        Assert.Null(await ProblemOfAsync(body, "demo")); // flagged, delivered as sent: it fits
        var problem = await ProblemOfAsync(body.Replace("\"big\"", "\"big2\"", StringComparison.Ordinal), "careful");

        Assert.Equal((413, "urn:pubsub:problem:message-too-large"), (problem?.Status, problem?.Type));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("""{"a":[1,2,{"b":"\u00e9<>&'\"\\"}],"n":1e3}""")]
    public void The_delivery_size_is_the_cloudevent_and_its_message_attributes_as_a_replay_carries_them(string? data)
    {
        var envelope = new EventEnvelope
        {
            Id = "id-\u00e9", Source = "s<", Type = "t", Subject = "sub", Publisher = "demo", ReceivedAt = DateTimeOffset.UnixEpoch,
            OriginRegion = "us-east-1", TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
            Data = data is null ? null : JsonPayload.FromString(data),
            Extensions = new Dictionary<string, string> { ["tenant"] = "\"t\u00e9\"", ["n"] = "1" },
            Sensitive = new Sensitivity(Sensitivity.Flagged, new Dictionary<string, int> { ["email"] = 1 }),
        };

        Assert.Equal(CloudEventJson.ToUtf8Bytes(envelope).Length + MessageAttributes.SizeOf(envelope, replayed: true), DeliverySize.Of(envelope));
        var binary = envelope with { Data = null, DataBinary = [1, 2, 3, 4] };
        Assert.Equal(CloudEventJson.ToUtf8Bytes(binary).Length + MessageAttributes.SizeOf(binary, replayed: true), DeliverySize.Of(binary));
    }
}
