using System.Text;
using PubSub.Ingestion.Core;
using PubSub.Ingestion.Core.Parsing;

namespace PubSub.UnitTests.Ingestion;

/// <summary>What a hostile publisher can put in a request, read by the core: every answer is a 4xx
/// problem naming where the fault is, never an exception.</summary>
public sealed class HostileInputTests
{
    private const string CloudEvents = "application/cloudevents+json";
    private const string Batch = "application/cloudevents-batch+json";
    private const string InvalidCharacters = "urn:pubsub:problem:invalid-characters";
    private const string DuplicateMember = "urn:pubsub:problem:duplicate-member";
    private const string TooManyArrayElements = "urn:pubsub:problem:too-many-array-elements";
    private const string ReservedAttribute = "urn:pubsub:problem:reserved-attribute";

    /// <summary>Attribute arguments cannot hold a lone surrogate (metadata stores them as UTF-8): a marker stands for one.</summary>
    private const string LoneSurrogate = "{lone}";

    private static string Unmarked(string value) => value.Replace(LoneSurrogate, "\ud800", StringComparison.Ordinal);

    private static ParsedRequest Read(string body, string? contentType = CloudEvents, Dictionary<string, string>? headers = null, bool scan = false) =>
        EventRequestReader.Read(new IngestionRequest("demo", contentType, headers ?? [], Encoding.UTF8.GetBytes(body)), scan);

    private static Problem Refused(string body, string? contentType = CloudEvents, Dictionary<string, string>? headers = null, bool scan = false)
    {
        var parsed = Read(body, contentType, headers, scan);
        var problem = parsed.Problem ?? Assert.Single(parsed.Events).Problem;
        Assert.NotNull(problem);
        return problem;
    }

    private static void Accepted(string body, string? contentType = CloudEvents, Dictionary<string, string>? headers = null)
    {
        var parsed = Read(body, contentType, headers, scan: true);
        Assert.Null(parsed.Problem);
        Assert.Null(Assert.Single(parsed.Events).Problem);
    }

    private static string Event(string members) => $$"""{"specversion":"1.0","id":"e","source":"s","type":"t",{{members}}}""";

    private static void AssertRefused(Problem problem, string type, string path)
    {
        Assert.Equal((400, type), (problem.Status, problem.Type));
        Assert.Contains(path, problem.Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""{"specversion":"1.0","id":"\ud800","source":"s","type":"t"}""", "$.id")]
    [InlineData("""{"specversion":"1.0","id":"e","source":"s\udfff","type":"t"}""", "$.source")]
    [InlineData("""{"specversion":"1.0","id":"e","source":"s","type":"t","subject":"\ud83d x"}""", "$.subject")]
    [InlineData("""{"specversion":"1.0","id":"e","source":"s","type":"t","tenant":"\udc00"}""", "$.tenant")]
    [InlineData("""{"specversion":"1.0","id":"e","source":"s","type":"t","\ud800":"x"}""", "$['\\ud800']")]
    [InlineData("""{"specversion":"1.0","id":"e","source":"s","type":"t","data_base64":"AQ\ud800=="}""", "$.data_base64")]
    [InlineData("""{"specversion":"1.0","id":"e","source":"s","type":"t","data":{"x":"\udc00"}}""", "$.data.x")]
    [InlineData("""{"specversion":"1.0","id":"e","source":"s","type":"t","data":{"a":[1,{"\ud800y":2}]}}""", "$.data.a[1]")]
    [InlineData("""{"specversion":"1.0","id":"e","source":"s","type":"t","data":["\ud800\ud800"]}""", "$.data[0]")]
    [InlineData("""{"specversion":"1.0","id":"e","source":"s","type":"t","data":"ends high \ud800"}""", "$.data")]
    public void A_lone_surrogate_escape_anywhere_is_refused_naming_its_path(string body, string path)
    {
        AssertRefused(Refused(body), InvalidCharacters, path);
        AssertRefused(Refused(body, scan: true), InvalidCharacters, path);
    }

    [Fact]
    public void A_surrogate_pair_escape_is_a_character_and_is_accepted() =>
        Accepted(Event("""
            "subject":"\ud83d\ude00","tenant":"\ud83d\ude00","data":{"\ud83d\ude00":"\ud83d\ude00 \u00e9"}
            """));

    [Fact]
    public void A_lone_surrogate_in_a_plain_json_or_binary_body_or_a_batch_member_is_refused()
    {
        AssertRefused(Refused("""{"type":"t","x":{"y":"\ud800"}}""", "application/json"), InvalidCharacters, "$.data.x.y");
        AssertRefused(Refused("""{"type":"\ud800"}""", "application/json"), InvalidCharacters, "$.data.type");
        AssertRefused(Refused("""{"x":"\udc00"}""", "application/json", new Dictionary<string, string>
        {
            ["ce-specversion"] = "1.0", ["ce-id"] = "e", ["ce-source"] = "s", ["ce-type"] = "t",
        }), InvalidCharacters, "$.data.x");

        var batch = Read($"[{Event("\"data\":1")},{Event("\"data\":{\"\\ud800\":1}")}]", Batch);
        Assert.Null(batch.Events[0].Problem);
        AssertRefused(batch.Events[1].Problem!, InvalidCharacters, "$.data");
    }

    [Theory]
    [InlineData("\"data\":{\"x\":\"\\uffff\"}", "$.data.x")]
    [InlineData("\"data\":{\"x\":\"\\ufffe\"}", "$.data.x")]
    [InlineData("\"data\":{\"x\":\"a\\u0000b\"}", "$.data.x")]
    [InlineData("\"data\":{\"x\":\"\\b\"}", "$.data.x")]
    [InlineData("\"data\":[\"\uffff\"]", "$.data[0]")]
    [InlineData("\"data\":{\"\ufffe\":1}", "$.data")]
    [InlineData("\"tenant\":\"\\u0001\"", "$.tenant")]
    [InlineData("\"subject\":\"a\\u0085b\"", "$.subject")]
    [InlineData("\"subject\":\"a\u007fb\"", "$.subject")]
    [InlineData("\"dataschema\":\"a\\tb\"", "$.dataschema")]
    [InlineData("\"datacontenttype\":\"a\\nb\"", "$.datacontenttype")]
    public void Characters_sns_cannot_carry_are_refused_naming_the_path(string members, string path) =>
        AssertRefused(Refused(Event(members)), InvalidCharacters, path);

    [Theory]
    [InlineData("""{"specversion":"1.0","id":"e","source":"s\u0002","type":"t"}""", "$.source")]
    [InlineData("""{"specversion":"1.0","id":"e","source":"s","type":"t\u009f"}""", "$.type")]
    public void Control_characters_in_attributes_are_refused(string body, string path) =>
        AssertRefused(Refused(body), InvalidCharacters, path);

    [Fact]
    public void Tabs_and_new_lines_inside_data_strings_are_fine() =>
        Accepted(Event("\"data\":{\"x\":\"a\\tb\\nc\\r\\u00e9\\u0085\",\"y\":\"\u0085\"}"));

    [Theory]
    [InlineData("ce-subject", "a%00b")]
    [InlineData("ce-subject", "a%0Ab")]
    [InlineData("ce-source", "a" + LoneSurrogate)]
    [InlineData("ce-tenant", "%EF%BF%BF")]
    [InlineData("ce-type", "t%C2%85")]
    public void Bad_characters_in_binary_mode_headers_are_refused_naming_the_header(string header, string value)
    {
        var headers = new Dictionary<string, string> { ["ce-specversion"] = "1.0", ["ce-id"] = "e", ["ce-source"] = "s", ["ce-type"] = "t" };
        headers[header] = Unmarked(value);

        AssertRefused(Refused("{}", "application/json", headers), InvalidCharacters, header);
    }

    [Theory]
    [InlineData("ce-subject", "a\u0001b")]
    [InlineData("ce-source", "a" + LoneSurrogate)]
    [InlineData("idempotency-key", "k\u007f")]
    [InlineData("ce-id", "\uffff")]
    public void Bad_characters_in_plain_json_headers_are_refused_naming_the_header(string header, string value) =>
        AssertRefused(Refused("""{"type":"t"}""", "application/json", new Dictionary<string, string> { [header] = Unmarked(value) }),
            InvalidCharacters, header);

    [Theory]
    [InlineData("idempotency-key", "Idempotency-Key")]
    [InlineData("ce-id", "ce-id")]
    [InlineData("ce-source", "ce-source")]
    [InlineData("ce-subject", "ce-subject")]
    public void An_empty_header_is_refused_not_stored_as_an_empty_attribute(string header, string named)
    {
        var problem = Refused("""{"type":"t"}""", "application/json", new Dictionary<string, string> { [header] = "" });

        Assert.Equal(400, problem.Status);
        Assert.Contains(named, problem.Detail, StringComparison.OrdinalIgnoreCase);
    }

    [Theory]
    [InlineData("ce-subject")]
    [InlineData("ce-dataschema")]
    public void An_empty_optional_binary_mode_header_is_refused(string header)
    {
        var headers = new Dictionary<string, string> { ["ce-specversion"] = "1.0", ["ce-id"] = "e", ["ce-source"] = "s", ["ce-type"] = "t", [header] = "" };

        Assert.Contains(header, Refused("{}", "application/json", headers).Detail, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"data\":{\"a\":{\"x\":1,\"x\":2}}", "$.data.a.x")]
    [InlineData("\"data\":[{\"x\":1},{\"y\":1,\"x\":2,\"y\":3}]", "$.data[1].y")]
    [InlineData("\"data\":{\"a\":1,\"\\u0061\":2}", "$.data.a")]
    [InlineData("\"data\":{\"\\u00e9\":1,\"\u00e9\":2}", "$.data")]
    [InlineData("\"data\":{\"x\":[[{\"k\":{\"deep\":true,\"deep\":false}}]]}", "$.data.x[0][0].k.deep")]
    public void A_duplicate_member_at_any_depth_is_refused_naming_its_path(string members, string path)
    {
        AssertRefused(Refused(Event(members)), DuplicateMember, path);
        AssertRefused(Refused(Event(members), scan: true), DuplicateMember, path);
    }

    [Fact]
    public void A_duplicate_among_many_members_is_found()
    {
        var members = string.Join(",", Enumerable.Range(0, 500).Select(i => $"\"m{i}\":{i}"));

        AssertRefused(Refused(Event($"\"data\":{{{members},\"m250\":0}}")), DuplicateMember, "$.data.m250");
        Accepted(Event($"\"data\":{{{members}}}"));
    }

    [Fact]
    public void The_same_name_in_sibling_and_nested_objects_is_not_a_duplicate() =>
        Accepted(Event("""
            "data":{"x":{"x":{"x":1}},"y":[{"x":1},{"x":2}],"z":{"x":3}}
            """));

    [Fact]
    public void Duplicates_in_plain_json_and_in_batches_are_refused()
    {
        AssertRefused(Refused("""{"type":"t","a":{"b":1,"b":1}}""", "application/json"), DuplicateMember, "$.data.a.b");
        AssertRefused(Refused("""{"type":"t","type":"u"}""", "application/json"), DuplicateMember, "$.data.type");

        var batch = Read($"[{Event("\"data\":{\"k\":1}")},{Event("\"data\":{\"k\":1,\"k\":1}")}]", Batch);
        Assert.Null(batch.Events[0].Problem);
        AssertRefused(batch.Events[1].Problem!, DuplicateMember, "$.data.k");
    }

    private static string Array(int elements) => "[" + string.Join(",", Enumerable.Repeat("0", elements)) + "]";

    [Fact]
    public void An_event_may_hold_4096_array_elements_in_all_its_arrays_and_no_more()
    {
        Accepted(Event($"\"data\":{{\"a\":{Array(4000)},\"b\":[{Array(95)}]}}"));

        var problem = Refused(Event($"\"data\":{{\"a\":{Array(4000)},\"b\":[{Array(96)}]}}"));

        Assert.Equal((400, TooManyArrayElements), (problem.Status, problem.Type));
        Assert.Contains("4,096", problem.Detail, StringComparison.Ordinal);
        Assert.Equal(4096, problem.Extensions!["limit"]);
    }

    [Fact]
    public void The_array_limit_applies_to_plain_json_and_to_each_event_of_a_batch()
    {
        Assert.Equal(TooManyArrayElements, Refused(Array(4097), "application/json", new Dictionary<string, string> { ["ce-type"] = "t" }).Type);

        var half = Event($"\"data\":{Array(3000)}");
        var batch = Read($"[{half},{half}]", Batch);
        Assert.All(batch.Events, e => Assert.Null(e.Problem));
        Assert.Equal(TooManyArrayElements, Read($"[{half},{Event($"\"data\":{Array(5000)}")}]", Batch).Events[1].Problem!.Type);
    }

    [Theory]
    [InlineData("replayed")]
    [InlineData("traceparent")]
    [InlineData("tracestate")]
    [InlineData("publisher")]
    [InlineData("sensitive")]
    [InlineData("redacted")]
    [InlineData("originregion")]
    public void Attribute_names_the_system_sets_are_refused_in_the_body_and_as_headers(string name)
    {
        AssertRefused(Refused(Event($"\"{name}\":\"x\"")), ReservedAttribute, name);

        var binary = new Dictionary<string, string>
        {
            ["ce-specversion"] = "1.0", ["ce-id"] = "e", ["ce-source"] = "s", ["ce-type"] = "t", ["ce-" + name] = "x",
        };
        AssertRefused(Refused("{}", "application/json", binary), ReservedAttribute, "ce-" + name);
        AssertRefused(Refused("""{"type":"t"}""", "application/json", new Dictionary<string, string> { ["ce-" + name] = "x" }),
            ReservedAttribute, "ce-" + name);
    }

    [Theory]
    [InlineData("""{"specversion":"1.0","id":"e","source":"s","type":"t","data":{"x":"\x"}}""")]
    [InlineData("""{"specversion":"1.0","id":"e","source":"s","type":"t","data":{"x":"\u12"}}""")]
    [InlineData("""{"specversion":"1.0","id":"e","source":"s","type":"t","data":{"x":"\u""")]
    [InlineData("""{"specversion":"1.0","id":"e\""")]
    [InlineData("""{"specversion":"1.0","id":"e","source":"s","type":"t","n":1e999999999,"data":{"x":-1e-99999999,"y":123456789012345678901234567890123456789012345678901234567890}}""")]
    public void Invalid_escapes_truncated_text_and_huge_numbers_get_a_4xx(string body)
    {
        var parsed = Read(body, scan: true);
        var problem = parsed.Problem ?? parsed.Events[0].Problem;
        if (problem is not null)
        {
            Assert.InRange(problem.Status, 400, 499);
        }
    }

    [Theory]
    [InlineData("""{"specversion":"1.0","id":"e","source":"s","type":"t","publisher\n":"x"}""")]
    [InlineData("""{"specversion":"1.0","id":"e","source":"s","type":"t","replayed\n":"true"}""")]
    [InlineData("""{"specversion":"1.0","id":"e","source":"s","type":"t","abc\n":"x"}""")]
    public void An_extension_name_that_ends_in_a_line_feed_is_refused(string body) =>
        Assert.Equal(400, Refused(body).Status);

    [Theory]
    [InlineData("2024-05-01T12:00:00")]
    [InlineData("2024-05-01T12:00")]
    [InlineData("2024-05-01 12:00:00Z")]
    [InlineData("Wed, 01 May 2024 12:00:00 GMT")]
    public void A_time_that_is_not_rfc_3339_with_an_offset_is_refused(string time) =>
        Assert.Equal(400, Refused(Event("\"time\":\"" + time + "\"")).Status);

    [Theory]
    [InlineData("2024-05-01T12:00:00Z")]
    [InlineData("2024-05-01T12:00:00.123456+02:00")]
    [InlineData("2024-05-01t12:00:00z")]
    public void An_rfc_3339_time_is_accepted(string time) =>
        Accepted(Event("\"time\":\"" + time + "\""));
}
