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

    public void Dispose() => Directory.Delete(_folder, recursive: true);
}
