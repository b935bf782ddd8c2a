using System.Net;
using System.Text;
using System.Text.Json;
using PubSub.IntegrationTests.Infrastructure;
using PubSub.IntegrationTests.Ingestion;

namespace PubSub.IntegrationTests.Cli;

[Collection(AwsEmulatorsCollection.Name)]
public sealed class EventsAndTopicsCommandTests(AwsEmulatorsFixture aws)
{
    private static string Definition => TestEvents.Definition;

    [Fact]
    public async Task Events_get_shows_a_stored_event_with_its_topics_and_finds_dead_letters()
    {
        using var ingestion = new IngestionHostFactory();
        using var client = ingestion.CreateClient();
        var id = Guid.NewGuid().ToString();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/events")
        {
            Content = new StringContent($$$"""{"specversion":"1.0","id":"{{{id}}}","source":"it","type":"order.created","data":{"orderId":5}}""",
                Encoding.UTF8, "application/cloudevents+json"),
        };
        request.Headers.Add("x-api-key", IngestionHostFactory.KeyOf("demo"));
        Assert.Equal(HttpStatusCode.Accepted, (await client.SendAsync(request)).StatusCode);
        var lost = Guid.NewGuid().ToString();
        await aws.Sqs.SendMessageAsync(aws.Resources.QueueUrls[aws.Definition.DeadLetterQueues.Publish],
            TestEvents.PublishLetter(TestEvents.Envelope(lost, data: "{}")));

        var found = await CliRunner.RunAsync(null, "events", "get", id, "--definition", Definition, "--json");
        var dead = await CliRunner.RunAsync(null, "events", "get", lost, "--definition", Definition, "--json");
        var missing = await CliRunner.RunAsync(null, "events", "get", Guid.NewGuid().ToString(), "--definition", Definition);

        Assert.True(found.ExitCode == 0, found.Stderr);
        var report = JsonDocument.Parse(found.Stdout).RootElement;
        Assert.True(report.GetProperty("stored").GetBoolean());
        Assert.Equal("orders", report.GetProperty("topics")[0].GetString());
        Assert.Equal(5, report.GetProperty("cloudEvent").GetProperty("data").GetProperty("orderId").GetInt32());
        Assert.True(dead.ExitCode == 0, dead.Stderr);
        var letter = JsonDocument.Parse(dead.Stdout).RootElement.GetProperty("deadLetters")[0];
        Assert.Equal(("publish", "orders", "InternalError"), (letter.GetProperty("queue").GetString(), letter.GetProperty("target").GetString(),
            letter.GetProperty("errorCode").GetString()));
        Assert.Equal(1, missing.ExitCode);
        Assert.Contains("neither in the table nor in a dead-letter queue", missing.Stdout, StringComparison.Ordinal);
        await CliRunner.RunAsync(null, "dlq", "purge", "publish", "--yes", "--definition", Definition);
    }

    [Fact]
    public async Task Topics_list_shows_arns_and_subscriptions()
    {
        var result = await CliRunner.RunAsync(null, "topics", "list", "--definition", Definition, "--json");

        Assert.True(result.ExitCode == 0, result.Stderr);
        var orders = JsonDocument.Parse(result.Stdout).RootElement.EnumerateArray().Single(t => t.GetProperty("name").GetString() == "orders");
        Assert.Equal(aws.Resources.TopicArns["orders"], orders.GetProperty("arn").GetString());
        Assert.Contains(orders.GetProperty("subscriptions").EnumerateArray(), s => s.GetString()!.StartsWith("sqs:", StringComparison.Ordinal));
    }
}
