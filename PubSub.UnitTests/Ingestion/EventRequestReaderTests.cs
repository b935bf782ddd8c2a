using System.Text;
using PubSub.Events;
using PubSub.Ingestion.Core;
using PubSub.Ingestion.Core.Parsing;
using EventLimits = PubSub.Ingestion.Core.Parsing.EventLimits;

namespace PubSub.UnitTests.Ingestion;

public sealed class EventRequestReaderTests
{
    private const string CloudEvents = "application/cloudevents+json";

    private static ParsedRequest Read(string body, string? contentType = CloudEvents, Dictionary<string, string>? headers = null) =>
        EventRequestReader.Read(new IngestionRequest("demo", contentType, headers ?? [], Encoding.UTF8.GetBytes(body)));

    private static EventEnvelope One(string body, string? contentType = CloudEvents, Dictionary<string, string>? headers = null)
    {
        var parsed = Read(body, contentType, headers);
        Assert.Null(parsed.Problem);
        var only = Assert.Single(parsed.Events);
        Assert.Null(only.Problem);
        return only.Envelope!;
    }

    private static Problem Refused(string body, string? contentType = CloudEvents, Dictionary<string, string>? headers = null)
    {
        var parsed = Read(body, contentType, headers);
        return parsed.Problem ?? Assert.Single(parsed.Events).Problem!;
    }

    [Fact]
    public void A_structured_cloudevent_keeps_every_attribute_and_its_extensions()
    {
        var e = One("""
            {"specversion":"1.0","id":"e-1","source":"shop","type":"order.created","subject":"order/42",
             "time":"2024-05-01T11:59:00Z","dataschema":"https://s/order","tenant":"t1","priority":3,"data":{"orderId":42}}
            """);

        Assert.Equal(("e-1", "shop", "order.created", "order/42"), (e.Id, e.Source, e.Type, e.Subject));
        Assert.Equal("""{"orderId":42}""", e.Data!.ToString());
        Assert.Equal("application/json", e.DataContentType);
        Assert.Equal(new Dictionary<string, string> { ["tenant"] = "\"t1\"", ["priority"] = "3" }, e.Extensions);
        Assert.Equal("demo", e.Publisher);
        Assert.Null(e.Fingerprint); // keyed by the ingestor, which holds the key
    }

    [Fact]
    public void Data_base64_is_read_as_binary_data()
    {
        var e = One("""{"specversion":"1.0","id":"b","source":"s","type":"t","datacontenttype":"image/png","data_base64":"AQID"}""");

        Assert.Equal([1, 2, 3], e.DataBinary);
        Assert.Null(e.Data);
        Assert.Equal("image/png", e.DataContentType);
    }

    [Fact]
    public void Application_json_with_specversion_is_read_as_a_structured_cloudevent()
    {
        var e = One("""{"specversion":"1.0","id":"e-2","source":"s","type":"t","data":[1,2]}""", "application/json; charset=utf-8");

        Assert.Equal(("e-2", "[1,2]"), (e.Id, e.Data!.ToString()));
    }

    [Fact]
    public void Binary_mode_takes_attributes_from_percent_encoded_ce_headers_and_the_body_as_data()
    {
        var headers = new Dictionary<string, string>
        {
            ["ce-specversion"] = "1.0", ["ce-id"] = "b-1", ["ce-source"] = "urn:shop", ["ce-type"] = "order.paid",
            ["ce-subject"] = "order%2F42", ["ce-time"] = "2024-05-01T10:00:00Z", ["ce-tenant"] = "t%C3%A9",
        };

        var e = One("""{"orderId":42}""", "application/json", headers);

        Assert.Equal(("b-1", "urn:shop", "order.paid", "order/42"), (e.Id, e.Source, e.Type, e.Subject));
        Assert.Equal("""{"orderId":42}""", e.Data!.ToString());
        Assert.Equal("application/json", e.DataContentType);
        Assert.Equal("\"t\\u00E9\"", e.Extensions!["tenant"]);
    }

    [Fact]
    public void Binary_mode_names_the_missing_ce_headers()
    {
        var problem = Refused("{}", "application/json", new Dictionary<string, string> { ["ce-specversion"] = "1.0", ["ce-type"] = "t" });

        Assert.Equal(400, problem.Status);
        Assert.Contains("ce-id, ce-source", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Binary_mode_with_data_that_is_not_json_is_a_415_that_says_what_to_do()
    {
        var headers = new Dictionary<string, string> { ["ce-specversion"] = "1.0", ["ce-id"] = "1", ["ce-source"] = "s", ["ce-type"] = "t" };

        var problem = Refused("hello", "text/plain", headers);

        Assert.Equal(415, problem.Status);
        Assert.Contains("data_base64", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Plain_json_takes_its_type_from_the_body_and_becomes_the_data()
    {
        var e = One("""{"type":"order.created","orderId":7}""", "application/json");

        Assert.Equal(("order.created", "demo"), (e.Type, e.Source));
        Assert.Equal("""{"type":"order.created","orderId":7}""", e.Data!.ToString());
        Assert.True(Guid.TryParse(e.Id, out _));
    }

    [Fact]
    public void Plain_json_honours_ce_headers_and_the_idempotency_key()
    {
        var headers = new Dictionary<string, string>
        {
            ["ce-type"] = "customer.updated", ["ce-source"] = "crm", ["ce-subject"] = "c/1",
            ["ce-time"] = "2024-05-01T10:00:00+02:00", ["idempotency-key"] = "key-1",
        };

        var e = One("[1,2,3]", "application/json", headers);

        Assert.Equal(("key-1", "customer.updated", "crm", "c/1"), (e.Id, e.Type, e.Source, e.Subject));
        Assert.Equal(TimeSpan.FromHours(2), e.Time!.Value.Offset);
    }

    [Fact]
    public void A_batch_is_read_event_by_event_each_with_its_own_outcome()
    {
        var parsed = Read("""
            [{"specversion":"1.0","id":"1","source":"s","type":"t"},
             {"specversion":"1.0","source":"s","type":"t"},
             {"specversion":"1.0","id":"3","source":"s","type":"t","data":null}]
            """, "application/cloudevents-batch+json");

        Assert.True(parsed.IsBatch);
        Assert.Equal(3, parsed.Events.Count);
        Assert.Equal("1", parsed.Events[0].Envelope!.Id);
        Assert.Equal("urn:pubsub:problem:missing-attributes", parsed.Events[1].Problem!.Type);
        Assert.Null(parsed.Events[2].Envelope!.Data);
    }

    [Theory]
    [InlineData("[]", "holds 1 to 100")]
    [InlineData("{}", "JSON array")]
    public void A_batch_must_be_a_non_empty_array(string body, string reason)
    {
        var problem = Refused(body, "application/cloudevents-batch+json");

        Assert.Equal((400, "urn:pubsub:problem:invalid-batch"), (problem.Status, problem.Type));
        Assert.Contains(reason, problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_batch_of_more_than_100_events_is_refused()
    {
        var events = string.Join(",", Enumerable.Range(0, 101).Select(i => $$"""{"specversion":"1.0","id":"{{i}}","source":"s","type":"t"}"""));

        Assert.Contains("holds 101", Refused($"[{events}]", "application/cloudevents-batch+json").Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Size_limits_are_256_KiB_per_event_and_1_MiB_per_batch()
    {
        var big = new string('x', EventLimits.MaxEventBytes - 1000);
        var oneEvent = $$"""{"specversion":"1.0","id":"1","source":"s","type":"t","data":"{{big[..60000]}}{{big[..60000]}}"}""";
        Assert.Equal(400, Refused(oneEvent).Status); // a single string over 64 KiB

        var tooBig = $$"""{"specversion":"1.0","id":"1","source":"s","type":"t","data":[{{string.Join(",", Enumerable.Repeat("\"" + new string('y', 1000) + "\"", 270))}}]}""";
        Assert.Equal((413, "urn:pubsub:problem:payload-too-large"), (Refused(tooBig).Status, Refused(tooBig).Type));

        var batchOfBig = "[" + string.Join(",", Enumerable.Repeat(tooBig, 2)) + "]";
        var parsed = Read(batchOfBig, "application/cloudevents-batch+json");
        Assert.All(parsed.Events, e => Assert.Equal(413, e.Problem!.Status));

        var overBatch = "[" + string.Join(",", Enumerable.Repeat(tooBig, 5)) + "]";
        Assert.Equal(413, Refused(overBatch, "application/cloudevents-batch+json").Status);
    }

    [Fact]
    public void An_overlong_string_is_named_by_its_path()
    {
        var body = $$"""{"type":"t","items":[{"note":"{{new string('z', EventLimits.MaxStringLength + 1)}}"}]}""";

        var problem = Refused(body, "application/json");

        Assert.Contains("$.data.items[0].note", problem.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"specversion":"1.0","source":"s","type":"t"}""", "id")]
    [InlineData("""{"specversion":"1.0","type":"t"}""", "id, source")]
    [InlineData("""{"specversion":"1.0"}""", "id, source, type")]
    public void Missing_required_attributes_are_named(string body, string missing)
    {
        var problem = Refused(body);

        Assert.Equal((400, "urn:pubsub:problem:missing-attributes"), (problem.Status, problem.Type));
        Assert.Contains(missing, problem.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"specversion":"0.3","id":"1","source":"s","type":"t"}""", "specversion must be")]
    [InlineData("""{"specversion":"1.0","id":"1","source":"s","type":"t","time":"yesterday"}""", "RFC 3339")]
    [InlineData("""{"specversion":"1.0","id":"1","source":"s","type":"t","Bad-Name":"x"}""", "not a valid CloudEvents extension")]
    [InlineData("""{"specversion":"1.0","id":"1","source":"s","type":"t","nested":{"a":1}}""", "must be a string, number or boolean")]
    [InlineData("""{"specversion":"1.0","id":"1","source":"s","type":"t","data":1,"data_base64":"AQ=="}""", "not both")]
    [InlineData("""{"specversion":"1.0","id":"1","source":"s","type":"t","data_base64":"%%%"}""", "base64")]
    [InlineData("""{"specversion":"1.0","id":"1","source":"s","type":7}""", "type must be a non-empty string")]
    [InlineData("""{"specversion":"1.0","id":"","source":"s","type":"t"}""", "id must be a non-empty string")]
    [InlineData("""["not","an","object"]""", "must be a JSON object")]
    public void Invalid_events_are_refused_with_a_reason(string body, string reason)
    {
        var problem = Refused(body);

        Assert.Equal((400, "urn:pubsub:problem:invalid-event"), (problem.Status, problem.Type));
        Assert.Contains(reason, problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Attributes_over_their_length_limits_are_refused()
    {
        Assert.Equal(400, Refused($$"""{"specversion":"1.0","id":"{{new string('i', 257)}}","source":"s","type":"t"}""").Status);
        Assert.Equal(400, Refused($$"""{"specversion":"1.0","id":"1","source":"{{new string('s', 1025)}}","type":"t"}""").Status);
        Assert.Equal(400, Refused("""{"specversion":"1.0","id":"a\u0001b","source":"s","type":"t"}""").Status);
    }

    [Fact]
    public void Malformed_json_is_a_400_with_the_parser_position()
    {
        var problem = Refused("""{"specversion":"1.0",""");

        Assert.Equal((400, "urn:pubsub:problem:malformed-json"), (problem.Status, problem.Type));
        Assert.Contains("LineNumber", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_nested_deeper_than_64_levels_is_refused()
    {
        var deep = new string('[', EventLimits.MaxDepth + 1) + new string(']', EventLimits.MaxDepth + 1);

        var problem = Refused(deep, "application/json", new Dictionary<string, string> { ["ce-type"] = "t" });

        Assert.Equal(400, problem.Status);
        Assert.Contains("depth", problem.Detail, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("text/plain")]
    [InlineData("application/xml")]
    [InlineData(null)]
    [InlineData("not a media type")]
    public void Media_types_other_than_json_are_a_415(string? contentType) =>
        Assert.Equal((415, "urn:pubsub:problem:unsupported-media-type"), (Refused("{}", contentType).Status, Refused("{}", contentType).Type));

    [Fact]
    public void The_fingerprint_changes_with_what_the_publisher_sent_and_only_that()
    {
        var a = One("""{"specversion":"1.0","id":"1","source":"s","type":"t","data":{"n":1}}""");
        var same = One("""{"specversion":"1.0","id":"1","source":"s","type":"t","data":{"n":1}}""");
        var other = One("""{"specversion":"1.0","id":"1","source":"s","type":"t","data":{"n":2}}""");

        string Of(EventEnvelope e) => EventFingerprint.Of(e, FingerprintKey.Development);
        Assert.Equal(Of(a), Of(same));
        Assert.NotEqual(Of(a), Of(other));
    }

    [Theory]
    [InlineData("""{"specversion":"1.0","id":"a","id":"b","source":"s","type":"t"}""", "id")]
    [InlineData("""{"specversion":"1.0","id":"a","source":"s","type":"t","type":"u"}""", "type")]
    [InlineData("""{"specversion":"1.0","id":"a","source":"s","type":"t","data":1,"data":{"x":2}}""", "data")]
    [InlineData("""{"specversion":"1.0","id":"a","source":"s","type":"t","tenant":"x","tenant":"y"}""", "tenant")]
    public void A_member_that_appears_twice_is_refused_naming_it(string body, string member)
    {
        var problem = Refused(body);

        Assert.Equal(400, problem.Status);
        Assert.Contains($"'{member}' appears more than once", problem.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_duplicate_inside_a_batch_refuses_that_event_only()
    {
        var parsed = Read("""[{"specversion":"1.0","id":"a","source":"s","type":"t"},{"specversion":"1.0","id":"b","id":"c","source":"s","type":"t"}]""",
            "application/cloudevents-batch+json");

        Assert.Null(parsed.Events[0].Problem);
        Assert.Contains("'id' appears more than once", parsed.Events[1].Problem!.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public void A_body_that_is_not_valid_UTF8_is_refused_even_inside_a_string()
    {
        byte[] body = [.. Encoding.UTF8.GetBytes("{\"specversion\":\"1.0\",\"id\":\"a\",\"source\":\"s\",\"type\":\"t\",\"data\":\""), 0xC3, 0x28, 0xFF,
            .. Encoding.UTF8.GetBytes("\"}")];

        var parsed = EventRequestReader.Read(new IngestionRequest("demo", CloudEvents, new Dictionary<string, string>(), body));

        Assert.Equal("The body is not valid UTF-8.", parsed.Problem?.Detail);
    }
}
