using System.Net;
using System.Text;
using System.Text.Json;
using PubSub.Definition;
using PubSub.IntegrationTests.Infrastructure;
using PubSub.IntegrationTests.Ingestion;

namespace PubSub.IntegrationTests.Cli;

/// <summary><c>pubsub publishers</c>: a revoke or a tighter plan written to the definition reaches the
/// running ingestion service without a restart.</summary>
[Collection(AwsEmulatorsCollection.Name)]
public sealed class PublishersCommandTests
{
    private static async Task<HttpStatusCode> PostAsync(HttpClient client, string publisher)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/events")
        {
            Content = new StringContent("""{"type":"ping"}""", Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("x-api-key", IngestionHostFactory.KeyOf(publisher));
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }

    private static async Task<HttpStatusCode> EventuallyAsync(Func<Task<HttpStatusCode>> call, HttpStatusCode expected)
    {
        var status = await call();
        for (var i = 0; i < 50 && status != expected; i++)
        {
            await Task.Delay(100);
            status = await call();
        }

        return status;
    }

    [Fact]
    public async Task Disable_throttle_and_enable_apply_to_the_running_service()
    {
        using var ingestion = new IngestionHostFactory();
        using var client = ingestion.CreateClient();
        var path = ingestion.DefinitionPath;
        Assert.Equal(HttpStatusCode.Accepted, await PostAsync(client, "demo"));

        var disable = await CliRunner.RunAsync(null, "publishers", "disable", "demo", "--definition", path);
        Assert.True(disable.ExitCode == 0, disable.Stderr);
        Assert.Contains("regenerate the stack and deploy it", disable.Stdout, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Forbidden, await EventuallyAsync(() => PostAsync(client, "demo"), HttpStatusCode.Forbidden));

        var enable = await CliRunner.RunAsync(null, "publishers", "enable", "demo", "--definition", path);
        Assert.True(enable.ExitCode == 0, enable.Stderr);
        Assert.Equal(HttpStatusCode.Accepted, await EventuallyAsync(() => PostAsync(client, "demo"), HttpStatusCode.Accepted));

        var throttle = await CliRunner.RunAsync(null, "publishers", "throttle", "demo", "--rate", "1", "--burst", "1", "--quota", "500/week",
            "--definition", path);
        Assert.True(throttle.ExitCode == 0, throttle.Stderr);
        var plan = SystemDefinitionLoader.Load(path).Publishers.Single(p => p.Name == "demo").Plan!;
        Assert.Equal((1d, 1, 500L, QuotaPeriod.Week), (plan.RateLimit, plan.BurstLimit, plan.Quota!.Limit, plan.Quota.Period));
        await Task.Delay(1500); // the reload, then a full bucket of one
        var statuses = new[] { await PostAsync(client, "demo"), await PostAsync(client, "demo") };
        Assert.Equal([HttpStatusCode.Accepted, HttpStatusCode.TooManyRequests], statuses);

        var list = await CliRunner.RunAsync(null, "publishers", "list", "--json", "--definition", path);
        var demo = JsonDocument.Parse(list.Stdout).RootElement.EnumerateArray().Single(p => p.GetProperty("name").GetString() == "demo");
        Assert.Equal("500/week", demo.GetProperty("quota").GetString());
    }

    [Fact]
    public async Task Changing_a_publisher_and_changing_it_back_leaves_the_file_as_it_was()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("pubsub-pub-").FullName, "pubsub.json");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "pubsub.json"), path);
        var before = await File.ReadAllTextAsync(path);

        var results = new List<CliResult>
        {
            await CliRunner.RunAsync(null, "publishers", "disable", "demo", "--definition", path),
            await CliRunner.RunAsync(null, "publishers", "throttle", "acme", "--rate", "1", "--burst", "2", "--quota", "none", "--definition", path),
        };
        var changed = await File.ReadAllTextAsync(path);
        results.Add(await CliRunner.RunAsync(null, "publishers", "enable", "demo", "--definition", path));
        results.Add(await CliRunner.RunAsync(null, "publishers", "throttle", "acme", "--rate", "5", "--burst", "10", "--quota", "10000/day", "--definition", path));

        Assert.All(results, r => Assert.True(r.ExitCode == 0, r.Stderr));
        Assert.Contains("\"plan\": { \"rateLimit\": 1, \"burstLimit\": 2 },", changed, StringComparison.Ordinal); // the entry's own layout
        Assert.Equal(before.Split('\n').Length + 1, changed.Split('\n').Length); // one line more: "enabled": false
        Assert.Equal(before, await File.ReadAllTextAsync(path));
    }

    [Fact]
    public async Task Unknown_publishers_and_bad_quotas_are_refused_and_the_file_is_left_alone()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("pubsub-pub-").FullName, "pubsub.json");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "pubsub.json"), path);
        var before = await File.ReadAllTextAsync(path);

        var unknown = await CliRunner.RunAsync(null, "publishers", "disable", "nobody", "--definition", path);
        var badQuota = await CliRunner.RunAsync(null, "publishers", "throttle", "acme", "--rate", "1", "--burst", "1", "--quota", "5/year", "--definition", path);
        var invalid = await CliRunner.RunAsync(null, "publishers", "throttle", "acme", "--rate", "1", "--burst", "0", "--definition", path);

        Assert.Equal(2, unknown.ExitCode);
        Assert.Contains("no publisher named 'nobody'", unknown.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, badQuota.ExitCode);
        Assert.Equal(2, invalid.ExitCode);
        Assert.Equal(before, await File.ReadAllTextAsync(path));
    }
}
