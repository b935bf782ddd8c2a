using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PubSub.Definition;
using PubSub.Ingestion.Core;
using PubSub.Ingestion.Core.Alerts;
using PubSub.Ingestion.Core.Storage;
using PubSub.UnitTests.Fakes;

namespace PubSub.UnitTests.Ingestion;

/// <summary>Every token of an event is scanned: numbers, member names, extensions and the id, source,
/// type and subject attributes; what is refused or alerted never repeats the value.</summary>
public sealed class SensitiveIngestionTests
{
    private readonly FakeEventStore _store = new();
    private readonly RecordingAlertSink _alerts = new();
    private readonly EventIngestor _ingestor;

    public SensitiveIngestionTests()
    {
        var definition = SystemDefinitionLoader.Load(Path.Combine(AppContext.BaseDirectory, "pubsub.json"));
        definition = definition with
        {
            Publishers = [.. definition.Publishers, new PublisherDefinition("careful", SensitiveData: SensitiveDataPolicy.Redact)],
        };
        _ingestor = new EventIngestor(_store, new FakeIngestionDeadLetterQueue(), new FixedIngestionSettings(new IngestionSettings(definition, FingerprintKey.Development)),
            new EventStoreSettings("t", TimeSpan.FromDays(30), "us-east-1"), _alerts, new IngestionMetrics(new TestMeterFactory()),
            new FakeTimeProvider(), NullLogger<EventIngestor>.Instance);
    }

    private async Task<IngestionResult> SendAsync(string body, string publisher)
    {
        var response = await _ingestor.IngestAsync(new IngestionRequest(publisher, "application/cloudevents+json", new Dictionary<string, string>(),
            Encoding.UTF8.GetBytes(body)), CancellationToken.None);
        return Assert.IsType<IngestionResponse.One>(response).Result;
    }

    private static string Event(string data, string attributes = "", string id = "e1") =>
        $$"""{"specversion":"1.0","id":"{{id}}","source":"shop","type":"note"{{attributes}},"data":{{data}}}""";

    private async Task<Problem> RefusedAsync(string body)
    {
        var refused = Assert.IsType<IngestionResult.Rejected>(await SendAsync(body, "acme"));
        Assert.Equal((422, "urn:pubsub:problem:sensitive-data"), (refused.Problem.Status, refused.Problem.Type));
        Assert.Empty(_store.Items);
        return refused.Problem;
    }

    [Theory]
    [InlineData("""{"card":4111111111111111}""", "$.data.card")]
    [InlineData("""{"john.doe@example.com":"x"}""", "$.data[*]")]
    [InlineData("""{"card":"４１１１ １１１１ １１１１ １１１１"}""", "$.data.card")]
    [InlineData("""{"card":"4111\u200B1111\u200B1111\u200B1111"}""", "$.data.card")]
    [InlineData("""{"mail":"john.doe%40example.com"}""", "$.data.mail")]
    [InlineData("""{"mail":"am9obi5kb2VAZXhhbXBsZS5jb20="}""", "$.data.mail")]
    public async Task The_reject_policy_refuses_data_tokens_the_old_scanner_skipped(string data, string path)
    {
        var problem = await RefusedAsync(Event(data));

        Assert.Contains(path, problem.Detail, StringComparison.Ordinal);
        Assert.DoesNotContain("john.doe", problem.Detail, StringComparison.Ordinal);
        Assert.Equal([path], Assert.Single(_alerts.Alerts).Paths);
    }

    [Fact]
    public async Task A_finding_below_a_member_name_that_holds_one_has_the_name_hidden_in_its_path()
    {
        await RefusedAsync(Event("""{"john.doe@example.com":{"card":"4111111111111111"}}"""));

        Assert.Equal(["$.data[*]", "$.data[*].card"], Assert.Single(_alerts.Alerts).Paths);
    }

    [Theory]
    [InlineData(""","acct":4111111111111111""", "$.acct")]
    [InlineData(""","contact":"jane@example.com" """, "$.contact")]
    [InlineData(""","subject":"call +1 415 555 2671" """, "$.subject")]
    public async Task The_reject_policy_refuses_findings_in_extensions_and_the_subject(string attributes, string path)
    {
        var problem = await RefusedAsync(Event("{}", attributes));

        Assert.Equal([path], Assert.Single(_alerts.Alerts).Paths);
        Assert.Contains(path, problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_id_holding_a_finding_is_refused_and_never_repeated_in_the_alert_or_the_answer()
    {
        var problem = await RefusedAsync(Event("{}", id: "jane@example.com"));

        var alert = Assert.Single(_alerts.Alerts);
        Assert.Equal("[*]", alert.EventId);
        Assert.Equal(["$.id"], alert.Paths);
        Assert.DoesNotContain("jane", JsonSerializer.Serialize(problem), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"specversion":"1.0","id":"e1","source":"jane@example.com","type":"note"}""")]
    [InlineData("""{"specversion":"1.0","id":"e1","source":"shop","type":"note.4111111111111111"}""")]
    public async Task Source_and_type_are_scanned(string body) => await RefusedAsync(body);

    [Theory]
    [InlineData("""{"n":41111111111111110e-1}""")]
    [InlineData("""{"n":411111111111111100E-2}""")]
    [InlineData("""{"n":4111111111111111.000}""")]
    [InlineData("""{"n":4.111111111111111e15}""")]
    public async Task A_card_number_written_with_an_exponent_or_a_fraction_is_refused(string data) =>
        await RefusedAsync(Event(data));

    [Fact]
    public async Task Binary_data_with_a_byte_that_is_not_utf8_is_still_scanned()
    {
        var bytes = Encoding.UTF8.GetBytes("card 4111 1111 1111 1111, jane@example.com").Append((byte)0xFF).ToArray();

        await RefusedAsync(Event("0", id: "e1").Replace(""","data":0""", $$""","data_base64":"{{Convert.ToBase64String(bytes)}}" """, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(""","dataschema":"https://example.com/jane@example.com" """, "$.dataschema")]
    [InlineData(""","datacontenttype":"application/json; owner=jane@example.com" """, "$.datacontenttype")]
    public async Task The_dataschema_and_datacontenttype_attributes_are_scanned(string attributes, string path)
    {
        await RefusedAsync(Event("{}", attributes));

        Assert.Equal([path], Assert.Single(_alerts.Alerts).Paths);
    }

    [Fact]
    public async Task The_redact_policy_refuses_an_event_whose_dataschema_holds_a_finding_as_it_cannot_be_redacted()
    {
        var refused = Assert.IsType<IngestionResult.Rejected>(
            await SendAsync(Event("{}", ""","dataschema":"https://example.com/jane@example.com" """), "careful"));

        Assert.Equal(422, refused.Problem.Status);
        Assert.Empty(_store.Items);
    }

    [Fact]
    public async Task A_binary_mode_content_type_parameter_is_scanned()
    {
        var headers = new Dictionary<string, string> { ["ce-specversion"] = "1.0", ["ce-id"] = "b1", ["ce-source"] = "s", ["ce-type"] = "t" };
        var response = await _ingestor.IngestAsync(new IngestionRequest("acme", "application/json; owner=\"jane@example.com\"", headers,
            Encoding.UTF8.GetBytes("{}")), CancellationToken.None);

        var refused = Assert.IsType<IngestionResult.Rejected>(Assert.IsType<IngestionResponse.One>(response).Result);
        Assert.Equal(422, refused.Problem.Status);
        Assert.Empty(_store.Items);
    }

    [Fact]
    public async Task The_redact_policy_replaces_whole_tokens_and_keeps_valid_json_without_the_values()
    {
        var body = Event("""{"card":4111111111111111,"jane@example.com":"x","bob@example.com":1,"note":"call 415-555-2671 today","n":7}""",
            ""","acct":4111111111111111""");

        Assert.IsType<IngestionResult.Accepted>(await SendAsync(body, "careful"));

        var stored = _store.Items["careful#e1"];
        var data = stored.Data!.ToString();
        Assert.Equal("""{"card":"[REDACTED:CreditCard]","[REDACTED:Email]#1":"x","[REDACTED:Email]#2":1,"note":"[REDACTED:Phone]","n":7}""", data);
        using var _ = JsonDocument.Parse(data);
        Assert.Equal("\"[REDACTED:CreditCard]\"", stored.Extensions!["acct"]);
    }

    [Fact]
    public async Task The_redact_policy_refuses_an_event_whose_id_holds_a_finding_as_it_cannot_be_redacted()
    {
        var refused = Assert.IsType<IngestionResult.Rejected>(await SendAsync(Event("{}", id: "4111111111111111"), "careful"));

        Assert.Equal(422, refused.Problem.Status);
        Assert.Empty(_store.Items);
    }

    [Fact]
    public async Task An_alert_names_at_most_twenty_paths_and_counts_the_rest()
    {
        var data = "{" + string.Join(",", Enumerable.Range(0, 100).Select(i => $$"""
            "m{{i}}":"jane{{i}}@example.com"
            """)) + "}";

        var problem = await RefusedAsync(Event(data));

        var alert = Assert.Single(_alerts.Alerts);
        Assert.Equal((SensitiveDataAlert.MaxPaths, 80, 100), (alert.Paths.Count, alert.PathsOmitted, alert.Detectors["Email"]));
        Assert.InRange(JsonSerializer.Serialize(alert).Length, 1, 8192);
        Assert.InRange(problem.Detail!.Length, 1, 8192);
    }
}
