using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace PubSub.IntegrationTests.Cli;

/// <summary><c>pubsub cost</c> as a user runs it (no AWS endpoint needed), and the README's cost table kept equal to
/// what the command prints.</summary>
public sealed partial class CostCommandTests
{
    [Fact]
    public async Task The_table_names_each_service_the_total_eventbridge_and_the_date_of_the_prices()
    {
        var result = await CliRunner.RunAsync(new Dictionary<string, string?> { ["NO_COLOR"] = "1" },
            "cost", "--events-per-second", "100");

        Assert.True(result.ExitCode == 0, result.Stderr);
        foreach (var text in new[] { "API Gateway (REST)", "907.20", "Lambda ingestion", "DynamoDB writes", "Macie", "Total",
                     "EventBridge PutEvents", "259.20", "Month = 30 days", "checked 2026-11-30" })
        {
            Assert.Contains(text, result.Stdout, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task Json_carries_every_line_and_each_prices_source()
    {
        var result = await CliRunner.RunAsync(null, "cost", "-r", "100", "-b", "100", "--architecture", "x86_64", "--json");

        Assert.True(result.ExitCode == 0, result.Stderr);
        using var json = JsonDocument.Parse(result.Stdout);
        var stack = json.RootElement.GetProperty("stack").EnumerateArray().ToList();
        Assert.Equal(9.07, stack.Single(l => l.GetProperty("service").GetString() == "API Gateway (REST)").GetProperty("monthlyUsd").GetDouble(), 2);
        Assert.Equal("x86_64", json.RootElement.GetProperty("workload").GetProperty("architecture").GetString());
        Assert.All(json.RootElement.GetProperty("prices").EnumerateArray(), p => Assert.False(string.IsNullOrWhiteSpace(p.GetProperty("source").GetString())));
        Assert.Equal("2026-11-30", json.RootElement.GetProperty("pricesCheckedOn").GetString());
    }

    [Theory]
    [InlineData("--events-per-second", "0", "--events-per-second must be above 0")]
    [InlineData("--events-per-second", "1e12", "at most 100,000")]
    [InlineData("--region", "eu-west-1", "No confirmed prices for region 'eu-west-1'")]
    public async Task Refused_inputs_exit_2_with_one_line_saying_why(string option, string value, string expected)
    {
        string[] args = option == "--events-per-second" ? ["cost", option, value] : ["cost", "-r", "100", option, value];
        var result = await CliRunner.RunAsync(null, args);

        Assert.Equal(2, result.ExitCode);
        Assert.Contains(expected, result.Stderr, StringComparison.Ordinal);
        Assert.Empty(result.Stdout);
    }

    /// <summary>Each row of the README's cost table is what the command gives for it, to the dollar.</summary>
    [Fact]
    public async Task The_readmes_cost_table_is_what_the_command_prints()
    {
        var readme = await File.ReadAllTextAsync(Path.Combine(Docs.DocsTests.FindRoot(), "README.md"));
        var section = readme[readme.IndexOf("\n## Cost", StringComparison.Ordinal)..];
        var rows = Row().Matches(section).ToList();
        Assert.Equal(4, rows.Count);
        foreach (var row in rows)
        {
            var rate = Number(row.Groups["rate"].Value);
            var batch = row.Groups["batch"].Success ? row.Groups["batch"].Value : "1";
            var result = await CliRunner.RunAsync(null, "cost", "-r", rate.ToString(CultureInfo.InvariantCulture), "-b", batch, "--json");
            using var json = JsonDocument.Parse(result.Stdout);
            var stack = json.RootElement.GetProperty("stack").EnumerateArray().ToList();
            var total = stack.Sum(l => l.GetProperty("monthlyUsd").GetDouble());
            var api = stack.Single(l => l.GetProperty("service").GetString() == "API Gateway (REST)").GetProperty("monthlyUsd").GetDouble();
            var eventBridge = json.RootElement.GetProperty("eventBridge").EnumerateArray().Sum(l => l.GetProperty("monthlyUsd").GetDouble());

            Assert.Equal((Math.Round(total), Math.Round(api), Math.Round(eventBridge)),
                (Number(row.Groups["total"].Value), Number(row.Groups["api"].Value), Number(row.Groups["eventbridge"].Value)));
        }
    }

    // | 100 events/s, batches of 100 | $1,054 | $9 | $280 |
    [GeneratedRegex(@"^\| (?<rate>[\d,]+) events/s, (?:one per request|batches of (?<batch>\d+)) \| \$(?<total>[\d,]+) \| \$(?<api>[\d,]+) \| \$(?<eventbridge>[\d,]+) \|",
        RegexOptions.Multiline)]
    private static partial Regex Row();

    private static double Number(string text) => double.Parse(text, NumberStyles.AllowThousands, CultureInfo.InvariantCulture);
}
