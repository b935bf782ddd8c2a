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

    [Fact]
    public async Task Webhook_delivery_adds_its_lambda_sqs_dynamodb_secret_and_cloudwatch_lines_priced_per_attempt()
    {
        var without = await CliRunner.RunAsync(null, "cost", "-r", "10", "--json");
        var with = await CliRunner.RunAsync(null, "cost", "-r", "10", "--webhooks", "2", "--webhook-attempts", "1.5", "--json");

        Assert.True(with.ExitCode == 0, with.Stderr);
        var before = Lines(without.Stdout);
        var after = Lines(with.Stdout);
        const double Gb = 1024d * 1024 * 1024;
        // By hand: 10/s for 30 days = 25.92 M events, to 2 subscriptions = 51.84 M deliveries in 5.184 M batches of 10;
        // 1.5 attempts each = 77.76 M attempts, 25.92 M of them retries.
        // SQS: per batch a receive (one 64 KB chunk) and a delete, per retry a visibility change and a receive, and the
        // mapping's 648,000 polls a month of each queue, at $0.40/M.
        Assert.Equal((5.184e6 * 2 + 25.92e6 * 2 + 2 * 648_000) * 0.40 / 1e6, after["SQS (webhook queues)"], 2);
        // Lambda: an invocation per batch and per retry, 4 AWS calls of 10 ms and a 100 ms answer, 256 MB arm64.
        Assert.Equal(31.104 * 0.20 + 31.104e6 * 0.140 * 0.25 * 0.0000133334, after["Lambda webhook delivery"], 2);
        // DynamoDB: a WRU per attempt and per failure, 3 consistent reads per attempt; the attempts kept 30 days (700 B
        // stored each) with PITR.
        Assert.Equal(103.68 * 0.625 + 233.28 * 0.125 + 77.76e6 * 700 / Gb * (0.25 + 0.20), after["DynamoDB (webhook attempts)"], 2);
        // Secrets: a warm instance per subscription reads its secret every 5 min (SSM free, a KMS Decrypt each); the two
        // queues' data keys for SNS and the function every 5 min; all at $0.03 per 10,000.
        Assert.Equal((2 * 2 * 8640 + 2 * 2 * 8640) * 0.03 / 10_000, after["SSM + KMS (webhook secrets, queues)"], 4);
        Assert.Equal(5, after.Count - before.Count); // five lines added
        Assert.All(before, line => Assert.Equal(line.Value, after[line.Key], 6)); // the rest is as it was
        var prices = JsonDocument.Parse(with.Stdout).RootElement.GetProperty("prices").EnumerateArray().Select(p => p.GetProperty("name").GetString()).ToList();
        Assert.Contains("DynamoDB read", prices);
        Assert.Contains("SSM parameter read", prices);
    }

    private static Dictionary<string, double> Lines(string json) => JsonDocument.Parse(json).RootElement.GetProperty("stack").EnumerateArray()
        .ToDictionary(l => l.GetProperty("service").GetString()!, l => l.GetProperty("monthlyUsd").GetDouble());

    [Theory]
    [InlineData("--webhook-attempts", "11", "--webhook-attempts must be 1")]
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
