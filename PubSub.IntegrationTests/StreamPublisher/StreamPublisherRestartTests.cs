using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2.Model;
using PubSub.Definition;
using PubSub.IntegrationTests.Infrastructure;
using PubSub.IntegrationTests.Ingestion;

namespace PubSub.IntegrationTests.StreamPublisher;

/// <summary>The local poller checkpoints its position in every shard: a restarted stream publisher
/// resumes where it stopped, so it neither loses the events written while it was down nor publishes
/// again the ones it had already published.</summary>
[Collection(AwsEmulatorsCollection.Name)]
public sealed class StreamPublisherRestartTests(AwsEmulatorsFixture aws) : IDisposable
{
    private const string Topic = "restart-it";
    private const string Queue = "restart-it-demo";
    private readonly string _folder = Directory.CreateTempSubdirectory("pubsub-sp-").FullName;

    [Fact]
    public async Task A_restart_resumes_after_the_last_published_record()
    {
        var definitionPath = await WriteDefinitionAsync();
        var queueUrl = (await aws.Sqs.GetQueueUrlAsync(Queue)).QueueUrl;
        await QueueReader.DrainAsync(aws.Sqs, queueUrl, TimeSpan.FromMilliseconds(200));
        var checkpointTable = $"it-checkpoints-{Guid.NewGuid():N}";
        using var ingestion = new IngestionHostFactory();
        using var client = ingestion.CreateClient();

        var first = await PostAsync(client);
        using (var publisher = new StreamPublisherHostFactory(definitionPath, checkpointTable))
        {
            publisher.Start();
            Assert.Equal([first], await ReceiveIdsAsync(queueUrl, 1));
        }

        var second = await PostAsync(client); // written while no publisher runs
        using (var publisher = new StreamPublisherHostFactory(definitionPath, checkpointTable))
        {
            publisher.Start();
            Assert.Equal([second], await ReceiveIdsAsync(queueUrl, 1));

            // The first event must not come again; give the restarted poller time to (wrongly) do so.
            var again = await QueueReader.DrainAsync(aws.Sqs, queueUrl, TimeSpan.FromSeconds(3));
            Assert.Empty(again);
        }

        var checkpoints = await aws.DynamoDb.ScanAsync(new ScanRequest { TableName = checkpointTable });
        Assert.NotEmpty(checkpoints.Items);
        Assert.All(checkpoints.Items, item => Assert.StartsWith("arn:", item["stream"].S, StringComparison.Ordinal));
    }

    /// <summary>The repository's definition with one extra topic and queue for this test and a single
    /// route to it; every other event is unrouted and published nowhere, so other tests' queues stay quiet.</summary>
    private async Task<string> WriteDefinitionAsync()
    {
        var json = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "pubsub.json")),
            documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })!.AsObject();
        json["topics"]!.AsArray().Add(new JsonObject { ["name"] = Topic });
        json["routes"] = new JsonArray(new JsonObject
        {
            ["name"] = Topic,
            ["pattern"] = JsonNode.Parse("""{ "type": [ "restart.it" ], "publisher": [ "demo" ] }"""),
            ["topics"] = new JsonArray(Topic),
        });
        json.Remove("unroutedTopic");
        json["subscriptions"]!.AsArray().Add(JsonNode.Parse($$"""
            { "topic": "{{Topic}}", "protocol": "sqs", "endpoint": "{{Queue}}", "rawMessageDelivery": true }
            """));
        var path = Path.Combine(_folder, "pubsub.json");
        await File.WriteAllTextAsync(path, json.ToJsonString());
        await aws.NewProvisioner().ProvisionAsync(SystemDefinitionLoader.Load(path), CancellationToken.None);
        return path;
    }

    private static async Task<string> PostAsync(HttpClient client)
    {
        var id = Guid.NewGuid().ToString();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/events")
        {
            Content = new StringContent($$$"""{"specversion":"1.0","id":"{{{id}}}","source":"it","type":"restart.it","data":{"n":1}}""",
                Encoding.UTF8, "application/cloudevents+json"),
        };
        request.Headers.Add("x-api-key", IngestionHostFactory.KeyOf("demo"));
        using var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return id;
    }

    private async Task<List<string>> ReceiveIdsAsync(string queueUrl, int count)
    {
        var messages = await QueueReader.ReceiveAsync(aws.Sqs, queueUrl, count, TimeSpan.FromSeconds(60));
        return [.. messages.Select(m => JsonDocument.Parse(m.Body).RootElement.GetProperty("id").GetString()!)];
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // the definition watcher may still hold the folder for a moment
        }
    }
}
