using System.Text.Json;

namespace PubSub.IntegrationTests.Cli;

/// <summary><c>pubsub routes test|check</c> as a user runs them: files in, a verdict and an exit code out.
/// These need no AWS endpoint.</summary>
public sealed class RoutesCommandTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("pubsub-routes-").FullName;

    private static string Definition => Path.Combine(AppContext.BaseDirectory, "pubsub.json");

    private string Write(string name, string text)
    {
        var path = Path.Combine(_folder, name);
        File.WriteAllText(path, text);
        return path;
    }

    private const string OrderEvent = """
        {"specversion":"1.0","id":"e-1","source":"shop","type":"order.created","publisher":"demo","data":{"orderId":7,"total":120.5,"ip":"10.0.0.9"}}
        """;

    [Fact]
    public async Task A_matching_event_exits_0_and_a_non_matching_one_1()
    {
        var pattern = Write("p.json", """{ "type": [ { "prefix": "order." } ], "data": { "total": [ { "numeric": [ ">", 100 ] } ], "ip": [ { "cidr": "10.0.0.0/24" } ] } }""");
        var match = await CliRunner.RunAsync(null, "routes", "test", "--pattern", pattern, "--event", Write("e.json", OrderEvent));
        var miss = await CliRunner.RunAsync(null, "routes", "test", "--pattern", pattern, "--event",
            Write("f.json", OrderEvent.Replace("120.5", "99", StringComparison.Ordinal)), "--json");

        Assert.True(match.ExitCode == 0, match.Stderr);
        Assert.Contains("matches", match.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, miss.ExitCode);
        Assert.False(JsonDocument.Parse(miss.Stdout).RootElement.GetProperty("matched").GetBoolean());
    }

    [Fact]
    public async Task An_invalid_pattern_or_event_exits_2_with_one_line()
    {
        var badPattern = await CliRunner.RunAsync(null, "routes", "test",
            "--pattern", Write("p.json", """{ "type": [ { "numeric": [ ">", 5, "<", 1 ] } ] }"""), "--event", Write("e.json", OrderEvent));
        var badEvent = await CliRunner.RunAsync(null, "routes", "test",
            "--pattern", Write("q.json", """{ "type": [ "x" ] }"""), "--event", Write("f.json", """{"type": """));

        Assert.Equal(2, badPattern.ExitCode);
        Assert.Contains("must be less than the upper bound", badPattern.Stderr, StringComparison.Ordinal);
        Assert.Single(badPattern.Stderr.Trim().Split('\n'));
        Assert.Equal(2, badEvent.ExitCode);
        Assert.Contains("is not JSON", badEvent.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Against_the_definition_it_names_the_routes_and_topics_an_event_reaches()
    {
        var routed = await CliRunner.RunAsync(null, "routes", "test", "--definition", Definition, "--event", Write("e.json", OrderEvent), "--json");
        var unrouted = await CliRunner.RunAsync(null, "routes", "test", "--definition", Definition, "--event",
            Write("f.json", OrderEvent.Replace("order.created", "invoice.sent", StringComparison.Ordinal)));

        Assert.True(routed.ExitCode == 0, routed.Stderr);
        var report = JsonDocument.Parse(routed.Stdout).RootElement;
        Assert.Equal("orders", report.GetProperty("topics")[0].GetString());
        Assert.Equal(1, unrouted.ExitCode);
        Assert.Contains("unrouted topic 'unrouted'", unrouted.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_accepts_the_repository_definition_and_names_a_bad_route()
    {
        var good = await CliRunner.RunAsync(null, "routes", "check", Definition);
        var bad = await CliRunner.RunAsync(null, "routes", "check", Write("pubsub.json",
            File.ReadAllText(Definition).Replace("\"prefix\": \"order.\"", "\"prefix\": 1", StringComparison.Ordinal)));
        var missing = await CliRunner.RunAsync(null, "routes", "check", Path.Combine(_folder, "nope.json"));

        Assert.True(good.ExitCode == 0, good.Stderr);
        Assert.Contains("valid", good.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, bad.ExitCode);
        Assert.Contains("route 'orders' has an invalid pattern: 'prefix' at 'type' needs a string", bad.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, missing.ExitCode);
    }

    private static string Case(string patternOrRoute, string @event, string expect) =>
        $$"""{{{patternOrRoute}}, "event": {{@event}}, "expect": {{expect}}}""";

    [Fact]
    public async Task Cases_run_from_a_file_print_the_failures_and_exit_1()
    {
        var cases = Write("cases.jsonl", string.Join('\n',
            Case("\"pattern\": {\"type\": [{\"prefix\": \"order.\"}]}", OrderEvent, "true"),
            Case("\"route\": \"customers\"", OrderEvent, "false"),
            "",
            Case("\"pattern\": {\"ip\": [{\"cidr\": \"10.0.0.1/32\"}]}", OrderEvent, "\"invalid\""),
            Case("\"route\": \"orders\"", OrderEvent, "false"),
            Case("\"pattern\": {\"data\": {\"ip\": [{\"cidr\": \"10.0.0.9/32\"}]}}", OrderEvent, "true")));

        var human = await CliRunner.RunAsync(null, "routes", "test", "--cases", cases, "--definition", Definition);
        var json = await CliRunner.RunAsync(null, "routes", "test", "--cases", cases, "--definition", Definition, "--json");

        Assert.True(human.ExitCode == 1, human.Stderr);
        Assert.Contains("line 5: expected false, got true", human.Stdout, StringComparison.Ordinal);
        Assert.Contains("line 6: expected true, got invalid (", human.Stdout, StringComparison.Ordinal);
        Assert.Contains("5 cases: 3 passed, 2 failed.", human.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, json.ExitCode);
        var report = JsonDocument.Parse(json.Stdout).RootElement;
        Assert.Equal(5, report.GetProperty("total").GetInt32());
        Assert.Equal(3, report.GetProperty("passed").GetInt32());
        var failed = report.GetProperty("failed");
        Assert.Equal(2, failed.GetArrayLength());
        Assert.Equal(5, failed[0].GetProperty("line").GetInt32());
        Assert.False(failed[0].GetProperty("expected").GetBoolean());
        Assert.True(failed[0].GetProperty("actual").GetBoolean());
        Assert.Equal("invalid", failed[1].GetProperty("actual").GetString());
    }

    [Fact]
    public async Task Cases_that_all_pass_exit_0()
    {
        var cases = Write("cases.jsonl", Case("\"route\": \"orders\"", OrderEvent, "true") + "\n");

        var result = await CliRunner.RunAsync(null, "routes", "test", "--cases", cases, "--definition", Definition, "--json");

        Assert.True(result.ExitCode == 0, result.Stderr);
        Assert.Equal("""{"total":1,"passed":1,"failed":[]}""", result.Stdout.Trim());
    }

    [Theory]
    [InlineData("{\"pattern\": {\"a\": [1]}, \"expect\": true}", "line 2 has no \"event\"")]
    [InlineData("{\"pattern\": {\"a\": [1]}, \"event\": {}, \"expect\": \"yes\"}", "line 2 has an \"expect\" that is not true, false or \"invalid\"")]
    [InlineData("{\"pattern\": {\"a\": [1]}, \"route\": \"orders\", \"event\": {}, \"expect\": true}", "line 2 needs either \"pattern\" or \"route\"")]
    [InlineData("{\"pattern\": ", "line 2 is not JSON")]
    [InlineData("{\"route\": \"nope\", \"event\": {}, \"expect\": true}", "line 2: the definition has no route named 'nope'")]
    public async Task A_malformed_case_exits_2_naming_its_line(string line, string message)
    {
        var cases = Write("cases.jsonl", Case("\"route\": \"orders\"", OrderEvent, "true") + "\n" + line);

        var result = await CliRunner.RunAsync(null, "routes", "test", "--cases", cases, "--definition", Definition);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(message, result.Stderr, StringComparison.Ordinal);
        Assert.Single(result.Stderr.Trim().Split('\n'));
    }

    [Fact]
    public async Task An_unreadable_cases_file_exits_2()
    {
        var result = await CliRunner.RunAsync(null, "routes", "test", "--cases", Path.Combine(_folder, "missing.jsonl"));

        Assert.Equal(2, result.ExitCode);
        Assert.Contains("Cannot read", result.Stderr, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_names_each_condition_the_values_seen_the_first_failure_and_the_or_branch()
    {
        var pattern = Write("p.json", """{"type":[{"prefix":"order."}],"$or":[{"data":{"total":[{"numeric":[">",200]}]}},{"data":{"ip":[{"cidr":"10.0.0.0/24"}]}}]}""");
        var @event = Write("e.json", OrderEvent);

        var human = await CliRunner.RunAsync(null, "routes", "test", "--pattern", pattern, "--event", @event, "--explain");
        var json = await CliRunner.RunAsync(null, "routes", "test", "--pattern", pattern, "--event", @event, "--explain", "--json");
        var routes = await CliRunner.RunAsync(null, "routes", "test", "--definition", Definition, "--event", @event, "--explain");

        Assert.True(human.ExitCode == 0, human.Stderr);
        Assert.Contains("pattern: matched ($or branch 2 of 2)", human.Stdout, StringComparison.Ordinal);
        Assert.Contains("failed  data.total [{\"numeric\":[\">\",200]}]  seen: 120.5", human.Stdout, StringComparison.Ordinal);
        Assert.Contains("first failed: data.total", human.Stdout, StringComparison.Ordinal);
        var explanation = JsonDocument.Parse(json.Stdout).RootElement.GetProperty("explanation");
        Assert.Equal(1, explanation.GetProperty("matchedBranch").GetInt32());
        var first = explanation.GetProperty("branches")[0];
        Assert.Equal("data.total", first.GetProperty("firstFailed").GetProperty("field").GetString());
        Assert.Equal("120.5", first.GetProperty("conditions")[1].GetProperty("values")[0].GetString());
        Assert.True(routes.ExitCode == 0, routes.Stderr);
        Assert.Contains("route customers: no match", routes.Stdout, StringComparison.Ordinal);
        Assert.Contains("failed  type [ { \"prefix\": \"customer.\" } ]  seen: \"order.created\"", routes.Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Explain_on_cases_explains_the_failed_ones()
    {
        var cases = Write("cases.jsonl", string.Join('\n',
            Case("\"route\": \"orders\"", OrderEvent, "true"),
            Case("\"pattern\": {\"data\": {\"orderId\": [8]}}", OrderEvent, "true")));

        var result = await CliRunner.RunAsync(null, "routes", "test", "--cases", cases, "--explain", "--json");

        Assert.Equal(1, result.ExitCode);
        var failed = Assert.Single(JsonDocument.Parse(result.Stdout).RootElement.GetProperty("failed").EnumerateArray());
        var condition = failed.GetProperty("explanation").GetProperty("branches")[0].GetProperty("firstFailed");
        Assert.Equal("data.orderId", condition.GetProperty("field").GetString());
        Assert.Equal("7", condition.GetProperty("values")[0].GetString());
    }

    /// <summary>Objects of one array where each condition holds in some element but never both in one: the router
    /// decides in one pass; the explainer's search over pairs of elements passes its bound.</summary>
    private static string ArrayTooLargeToExplain() =>
        $$"""{"items":[{{string.Join(",", Enumerable.Range(0, 2000).Select(i => i % 2 == 0 ? """{"a":1,"b":0}""" : """{"a":0,"b":1}"""))}}]}""";

    private const string PairPattern = """{"items":{"a":[1],"b":[1]}}""";

    [Fact]
    public async Task Explain_that_cannot_search_the_events_arrays_says_so_and_keeps_the_verdict()
    {
        var pattern = Write("p.json", PairPattern);
        var @event = Write("e.json", ArrayTooLargeToExplain());

        var human = await CliRunner.RunAsync(null, "routes", "test", "--pattern", pattern, "--event", @event, "--explain");
        var json = await CliRunner.RunAsync(null, "routes", "test", "--pattern", pattern, "--event", @event, "--explain", "--json");

        Assert.True(human.ExitCode == 1, human.Stderr); // the verdict (no match), not a usage error
        Assert.Contains("pattern: no match (not explained: The event's arrays are too large", human.Stdout, StringComparison.Ordinal);
        Assert.Equal(1, json.ExitCode);
        var report = JsonDocument.Parse(json.Stdout).RootElement;
        Assert.False(report.GetProperty("matched").GetBoolean());
        Assert.False(report.TryGetProperty("explanation", out _));
        Assert.StartsWith("not explained:", report.GetProperty("problem").GetString(), StringComparison.Ordinal);
    }

    /// <summary>One case's event that the router cannot read fails that case, with the reason; the run goes on, and a
    /// case --explain cannot explain says why next to its verdict.</summary>
    [Fact]
    public async Task A_case_that_cannot_be_routed_or_explained_fails_alone_and_the_run_goes_on()
    {
        var cases = Write("cases.jsonl", string.Join('\n',
            Case("\"pattern\": {\"type\": [\"x\"]}", """{"type":"\ud800"}""", "true"),
            Case("\"pattern\": " + PairPattern, ArrayTooLargeToExplain(), "true"),
            Case("\"route\": \"orders\"", OrderEvent, "true")));

        var json = await CliRunner.RunAsync(null, "routes", "test", "--cases", cases, "--explain", "--json");
        var human = await CliRunner.RunAsync(null, "routes", "test", "--cases", cases, "--explain");

        Assert.True(json.ExitCode == 1, json.Stderr);
        var report = JsonDocument.Parse(json.Stdout).RootElement;
        Assert.Equal(3, report.GetProperty("total").GetInt32());
        Assert.Equal(1, report.GetProperty("passed").GetInt32());
        var failed = report.GetProperty("failed").EnumerateArray().ToList();
        Assert.Equal("error", failed[0].GetProperty("actual").GetString());
        Assert.Contains("the event cannot be read", failed[0].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.False(failed[1].GetProperty("actual").GetBoolean());
        Assert.StartsWith("not explained:", failed[1].GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(1, human.ExitCode);
        Assert.Contains("line 1: expected true, got error (the event cannot be read", human.Stdout, StringComparison.Ordinal);
        Assert.Contains("3 cases: 1 passed, 2 failed.", human.Stdout, StringComparison.Ordinal);
    }

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
