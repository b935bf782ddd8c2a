using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PubSub.Definition;
using PubSub.Events;
using PubSub.Ingestion.Core;
using PubSub.Ingestion.Core.Storage;
using PubSub.Telemetry;
using PubSub.UnitTests.Fakes;

namespace PubSub.UnitTests.Ingestion;

public sealed class EventIngestorTests
{
    private readonly FakeEventStore _store = new();
    private readonly FakeIngestionDeadLetterQueue _deadLetters = new();
    private readonly RecordingAlertSink _alerts = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2024-05-01T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly EventIngestor _ingestor;

    public EventIngestorTests()
    {
        var definition = SystemDefinitionLoader.Load(Path.Combine(AppContext.BaseDirectory, "pubsub.json"));
        definition = definition with
        {
            Publishers = [.. definition.Publishers, new PublisherDefinition("careful", SensitiveData: SensitiveDataPolicy.Redact),
                new PublisherDefinition("sourced", Sources: ["https://shop.example/"])],
        };
        _ingestor = new EventIngestor(_store, _deadLetters, new FixedIngestionSettings(new IngestionSettings(definition, FingerprintKey.Development)),
            new EventStoreSettings("t", TimeSpan.FromDays(30), "us-east-1"), _alerts, new IngestionMetrics(new TestMeterFactory()),
            _time, NullLogger<EventIngestor>.Instance);
    }

    private async Task<IngestionResult> SendAsync(string body, string publisher = "demo", string contentType = "application/cloudevents+json")
    {
        var response = await _ingestor.IngestAsync(new IngestionRequest(publisher, contentType, new Dictionary<string, string>(),
            Encoding.UTF8.GetBytes(body)), CancellationToken.None);
        return Assert.IsType<IngestionResponse.One>(response).Result;
    }

    private static string Event(string id, string data = """{"orderId":1}""", string type = "order.created") =>
        $$$"""{"specversion":"1.0","id":"{{{id}}}","source":"shop","type":"{{{type}}}","data":{{{data}}}}""";

    [Fact]
    public async Task An_event_is_stored_with_what_the_system_adds()
    {
        var result = await SendAsync(Event("e1"));

        Assert.Equal(new IngestionResult.Accepted("e1"), result);
        var stored = _store.Items["demo#e1"];
        Assert.Equal((_time.GetUtcNow(), "us-east-1", "demo"), (stored.ReceivedAt, stored.OriginRegion, stored.Publisher));
        Assert.NotNull(stored.Fingerprint);
    }

    [Fact]
    public async Task A_retry_is_a_duplicate_and_a_reused_id_with_other_content_is_a_conflict()
    {
        await SendAsync(Event("e1"));

        Assert.Equal(new IngestionResult.Duplicate("e1"), await SendAsync(Event("e1")));
        var conflict = Assert.IsType<IngestionResult.Rejected>(await SendAsync(Event("e1", """{"orderId":2}""")));
        Assert.Equal((422, "urn:pubsub:problem:idempotency-conflict"), (conflict.Problem.Status, conflict.Problem.Type));
        Assert.Single(_store.Items);
    }

    [Fact]
    public async Task Ids_are_unique_per_publisher_not_across_publishers()
    {
        await SendAsync(Event("same"), "demo");

        Assert.IsType<IngestionResult.Accepted>(await SendAsync(Event("same", """{"orderId":5}"""), "careful"));
    }

    [Fact]
    public async Task Data_that_breaks_the_event_types_schema_is_a_422_listing_the_paths()
    {
        var result = Assert.IsType<IngestionResult.Rejected>(await SendAsync(Event("e1", """{"orderId":"one","currency":"euro"}""")));

        Assert.Equal((422, "urn:pubsub:problem:schema-violation"), (result.Problem.Status, result.Problem.Type));
        var errors = Assert.IsAssignableFrom<IReadOnlyList<SchemaError>>(result.Problem.Extensions["errors"]);
        Assert.Contains(errors, e => e.Path == "/orderId");
        Assert.Contains(errors, e => e.Path == "/currency");
        Assert.Empty(_store.Items);
    }

    [Fact]
    public async Task Types_without_a_schema_take_any_data()
    {
        Assert.IsType<IngestionResult.Accepted>(await SendAsync(Event("e1", """["anything"]""", "misc.thing")));
    }

    [Fact]
    public async Task The_reject_policy_refuses_sensitive_data_naming_detectors_and_paths_and_alerts()
    {
        var result = Assert.IsType<IngestionResult.Rejected>(await SendAsync(
            Event("a1", """{"orderId":1,"email":"jane@example.com","card":"4111111111111111"}"""), "acme"));

        Assert.Equal((422, "urn:pubsub:problem:sensitive-data"), (result.Problem.Status, result.Problem.Type));
        Assert.Contains("Email x1", result.Problem.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("jane@example.com", result.Problem.Detail, StringComparison.Ordinal);
        Assert.Empty(_store.Items);
        var alert = Assert.Single(_alerts.Alerts);
        Assert.Equal(("acme", "a1", "reject"), (alert.Publisher, alert.EventId, alert.Policy));
        Assert.Equal(["$.data.email", "$.data.card"], alert.Paths);
    }

    [Fact]
    public async Task The_flag_policy_stores_the_event_as_sent_marked_sensitive_and_alerts()
    {
        Assert.IsType<IngestionResult.Accepted>(await SendAsync(Event("f1", """{"orderId":1,"email":"jane@example.com"}""")));

        var stored = _store.Items["demo#f1"];
        Assert.Contains("jane@example.com", stored.Data!.ToString(), StringComparison.Ordinal);
        Assert.Equal(new Sensitivity(Sensitivity.Flagged, new Dictionary<string, int> { ["Email"] = 1 }).Detectors, stored.Sensitive!.Detectors);
        Assert.Equal(Sensitivity.Flagged, stored.Sensitive.Action);
        Assert.Equal("flag", Assert.Single(_alerts.Alerts).Policy);
    }

    [Fact]
    public async Task The_redact_policy_replaces_findings_in_data_subject_and_extensions_before_storing()
    {
        const string body = """{"specversion":"1.0","id":"r1","source":"s","type":"note","subject":"for jane@example.com","contact":"+14155552671","data":{"ssn":"123-45-6789","ok":"fine"}}""";

        Assert.IsType<IngestionResult.Accepted>(await SendAsync(body, "careful"));

        var stored = _store.Items["careful#r1"];
        Assert.Equal("""{"ssn":"[REDACTED:UsSsn]","ok":"fine"}""", stored.Data!.ToString());
        Assert.Equal("[REDACTED:Email]", stored.Subject);
        Assert.Equal("\"[REDACTED:Phone]\"", stored.Extensions!["contact"]);
        Assert.Equal(Sensitivity.Redacted, stored.Sensitive!.Action);
        Assert.Single(_alerts.Alerts);
    }

    [Fact]
    public async Task Clean_events_raise_no_alert()
    {
        await SendAsync(Event("c1"), "acme");

        Assert.Empty(_alerts.Alerts);
        Assert.Null(_store.Items["acme#c1"].Sensitive);
    }

    [Fact]
    public async Task When_the_table_is_down_the_event_goes_to_the_dlq_and_is_still_accepted()
    {
        _store.Down = true;

        var result = await SendAsync(Event("d1"));

        Assert.Equal(new IngestionResult.Accepted("d1", DeadLettered: true), result);
        Assert.Equal("d1", Assert.Single(_deadLetters.Messages).Id);
    }

    [Fact]
    public async Task When_the_table_and_the_dlq_are_down_the_answer_is_503_and_nothing_is_kept()
    {
        _store.Down = true;
        _deadLetters.Down = true;

        var result = Assert.IsType<IngestionResult.Rejected>(await SendAsync(Event("d1")));

        Assert.Equal((503, 5), (result.Problem.Status, result.Problem.RetryAfterSeconds));
        Assert.Empty(_deadLetters.Messages);
    }

    [Fact]
    public async Task A_batch_gives_each_event_its_own_outcome_in_order()
    {
        await SendAsync(Event("dup"));
        var batch = $"[{Event("b1")},{Event("dup")},{{\"specversion\":\"1.0\",\"id\":\"bad\"}},{Event("b3", """{"orderId":0}""")}]";

        var response = await _ingestor.IngestAsync(new IngestionRequest("demo", "application/cloudevents-batch+json",
            new Dictionary<string, string>(), Encoding.UTF8.GetBytes(batch)), CancellationToken.None);

        var results = Assert.IsType<IngestionResponse.Batch>(response).Results;
        Assert.IsType<IngestionResult.Accepted>(results[0]);
        Assert.IsType<IngestionResult.Duplicate>(results[1]);
        Assert.Equal(400, Assert.IsType<IngestionResult.Rejected>(results[2]).Problem.Status);
        Assert.Equal(422, Assert.IsType<IngestionResult.Rejected>(results[3]).Problem.Status); // orderId minimum 1
    }

    [Fact]
    public async Task A_source_outside_the_publishers_prefixes_is_refused_and_its_own_name_as_plain_jsons_default_is_not()
    {
        var foreign = Assert.IsType<IngestionResult.Rejected>(await SendAsync(Event("s1").Replace("\"source\":\"shop\"", "\"source\":\"acme\"", StringComparison.Ordinal), "sourced"));
        var allowed = await SendAsync(Event("s2").Replace("\"source\":\"shop\"", "\"source\":\"https://shop.example/orders\"", StringComparison.Ordinal), "sourced");
        var plain = await SendAsync("""{"type":"note.added"}""", "sourced", "application/json");
        var anySource = await SendAsync(Event("s3").Replace("\"source\":\"shop\"", "\"source\":\"acme\"", StringComparison.Ordinal), "demo");

        Assert.Equal((403, "urn:pubsub:problem:source-not-allowed"), (foreign.Problem.Status, foreign.Problem.Type));
        Assert.False(_store.Items.ContainsKey("sourced#s1"));
        Assert.IsType<IngestionResult.Accepted>(allowed);
        Assert.IsType<IngestionResult.Accepted>(plain);
        Assert.IsType<IngestionResult.Accepted>(anySource);
    }

    [Fact]
    public async Task The_stored_trace_is_a_new_root_linked_to_the_callers_context_not_the_callers_trace()
    {
        var started = new System.Collections.Concurrent.ConcurrentBag<Activity>();
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == PubSubTelemetry.IngestionName || source.Name == "test-caller",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStarted = started.Add,
        };
        ActivitySource.AddActivityListener(listener);
        using var callerSource = new ActivitySource("test-caller");
        using var caller = callerSource.StartActivity("POST /events", ActivityKind.Server,
            ActivityContext.Parse("00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", "vendor=publisher"))!;

        await SendAsync(Event("trace-root-1"));

        var stored = _store.Items["demo#trace-root-1"];
        var ingest = started.Single(a => a.OperationName == "ingest event" && a.GetTagItem("pubsub.event.id") as string == "trace-root-1");
        Assert.DoesNotContain("0af7651916cd43dd8448eb211c80319c", stored.TraceParent, StringComparison.Ordinal);
        Assert.Equal(ingest.Id, stored.TraceParent);
        Assert.Null(ingest.ParentId);
        Assert.Null(stored.TraceState);
        Assert.Equal(caller.Context, Assert.Single(ingest.Links).Context);
        Assert.Same(caller, Activity.Current);
    }
}
