using System.Text;
using PubSub.Events;
using PubSub.Ingestion.Core;

namespace PubSub.UnitTests.Ingestion;

public sealed class CloudEventParserTests
{
    private static readonly EnvelopeStamp Stamp = new(DateTimeOffset.Parse("2024-05-01T12:00:00Z", System.Globalization.CultureInfo.InvariantCulture), "us-east-1");

    private static (EventEnvelope? Envelope, Problem? Problem) Parse(string body, string? contentType = "application/cloudevents+json",
        Dictionary<string, string>? headers = null)
    {
        var request = new IngestionRequest("demo", contentType, headers ?? [], Encoding.UTF8.GetBytes(body));
        return CloudEventParser.TryParse(request, Stamp, out var envelope, out var problem) ? (envelope, null) : (null, problem);
    }

    [Fact]
    public void A_structured_cloudevent_becomes_an_envelope_stamped_by_the_system()
    {
        var (envelope, _) = Parse("""
            {"specversion":"1.0","id":"e-1","source":"shop","type":"order.created","subject":"order/42",
             "time":"2024-05-01T11:59:00Z","dataschema":"https://s/order","tenant":"t1","data":{"orderId":42}}
            """);

        Assert.NotNull(envelope);
        Assert.Equal(("e-1", "shop", "order.created", "order/42"), (envelope.Id, envelope.Source, envelope.Type, envelope.Subject));
        Assert.Equal("""{"orderId":42}""", envelope.Data);
        Assert.Equal("application/json", envelope.DataContentType);
        Assert.Equal("\"t1\"", envelope.Extensions!["tenant"]);
        Assert.Equal(("demo", Stamp.ReceivedAt, "us-east-1"), (envelope.Publisher, envelope.ReceivedAt, envelope.OriginRegion));
    }

    [Fact]
    public void Application_json_with_specversion_is_read_as_a_structured_cloudevent()
    {
        var (envelope, _) = Parse("""{"specversion":"1.0","id":"e-2","source":"s","type":"t","data":[1,2]}""", "application/json; charset=utf-8");

        Assert.Equal(("e-2", "[1,2]"), (envelope!.Id, envelope.Data));
    }

    [Fact]
    public void Plain_json_takes_its_type_from_the_body_and_becomes_the_data()
    {
        var (envelope, _) = Parse("""{"type":"order.created","orderId":7}""", "application/json");

        Assert.Equal("order.created", envelope!.Type);
        Assert.Equal("demo", envelope.Source);
        Assert.Equal("""{"type":"order.created","orderId":7}""", envelope.Data);
        Assert.True(Guid.TryParse(envelope.Id, out _));
    }

    [Fact]
    public void Plain_json_honours_ce_headers_and_the_idempotency_key()
    {
        var headers = new Dictionary<string, string>
        {
            ["ce-type"] = "customer.updated", ["ce-source"] = "crm", ["ce-subject"] = "c/1",
            ["ce-time"] = "2024-05-01T10:00:00+02:00", ["idempotency-key"] = "key-1",
        };

        var (envelope, _) = Parse("""[1,2,3]""", "application/json", headers);

        Assert.Equal(("key-1", "customer.updated", "crm", "c/1"), (envelope!.Id, envelope.Type, envelope.Source, envelope.Subject));
        Assert.Equal(TimeSpan.FromHours(2), envelope.Time!.Value.Offset);
    }

    [Theory]
    [InlineData("""{"specversion":"1.0","source":"s","type":"t"}""", "id")]
    [InlineData("""{"specversion":"1.0","id":"","type":"t"}""", "id, source")]
    [InlineData("""{"specversion":"1.0"}""", "id, source, type")]
    public void Missing_required_attributes_are_named(string body, string missing)
    {
        var (_, problem) = Parse(body);

        Assert.Equal((400, "urn:pubsub:problem:missing-attributes"), (problem!.Status, problem.Type));
        Assert.Contains(missing, problem.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"specversion":"0.3","id":"1","source":"s","type":"t"}""", "specversion must be")]
    [InlineData("""{"specversion":"1.0","id":"1","source":"s","type":"t","time":"yesterday"}""", "RFC 3339")]
    [InlineData("""{"specversion":"1.0","id":"1","source":"s","type":"t","publisher":"someone-else"}""", "set by the system")]
    [InlineData("""{"specversion":"1.0","id":"1","source":"s","type":"t","Bad-Name":"x"}""", "not a valid CloudEvents extension")]
    [InlineData("""{"specversion":"1.0","id":"1","source":"s","type":"t","nested":{"a":1}}""", "not a valid CloudEvents extension")]
    [InlineData("""{"specversion":"1.0","id":"1","source":"s","type":"t","data_base64":"AQID"}""", "data_base64")]
    [InlineData("""["not","an","object"]""", "must be a JSON object")]
    public void Invalid_events_are_refused_with_a_reason(string body, string reason)
    {
        var (_, problem) = Parse(body);

        Assert.Equal((400, "urn:pubsub:problem:invalid-event"), (problem!.Status, problem.Type));
        Assert.Contains(reason, problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Malformed_json_is_a_400_with_the_parser_position()
    {
        var (_, problem) = Parse("""{"specversion":"1.0",""");

        Assert.Equal((400, "urn:pubsub:problem:malformed-json"), (problem!.Status, problem.Type));
        Assert.Contains("LineNumber", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_nested_deeper_than_the_limit_is_refused_as_malformed()
    {
        var deep = new string('[', CloudEventParser.MaxJsonDepth + 1) + new string(']', CloudEventParser.MaxJsonDepth + 1);

        var (_, problem) = Parse(deep, "application/json", new Dictionary<string, string> { ["ce-type"] = "t" });

        Assert.Equal(400, problem!.Status);
        Assert.Contains("depth", problem.Detail, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    [InlineData(null)]
    [InlineData("not a media type")]
    public void Media_types_other_than_json_are_a_415(string? contentType)
    {
        var (_, problem) = Parse("{}", contentType);

        Assert.Equal((415, "urn:pubsub:problem:unsupported-media-type"), (problem!.Status, problem.Type));
    }

    [Fact]
    public void A_batch_is_refused_as_not_accepted_yet_rather_than_misread()
    {
        var (_, problem) = Parse("[]", "application/cloudevents-batch+json");

        Assert.Equal(415, problem!.Status);
        Assert.Contains("not accepted yet", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void An_event_over_256_KiB_is_a_413()
    {
        var body = $$"""{"specversion":"1.0","id":"1","source":"s","type":"t","data":"{{new string('x', CloudEventParser.MaxEventBytes)}}"}""";

        var (_, problem) = Parse(body);

        Assert.Equal((413, "urn:pubsub:problem:payload-too-large"), (problem!.Status, problem.Type));
    }

    [Fact]
    public void An_id_with_control_characters_or_over_256_characters_is_refused()
    {
        Assert.Equal(400, Parse("""{"specversion":"1.0","id":"a\u0001b","source":"s","type":"t"}""").Problem!.Status);
        Assert.Equal(400, Parse($$"""{"specversion":"1.0","id":"{{new string('i', 257)}}","source":"s","type":"t"}""").Problem!.Status);
    }
}
