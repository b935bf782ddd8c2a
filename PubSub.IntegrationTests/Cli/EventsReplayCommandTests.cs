using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using PubSub.Events;
using PubSub.IntegrationTests.Infrastructure;
using PubSub.IntegrationTests.Ingestion;

namespace PubSub.IntegrationTests.Cli;

/// <summary><c>pubsub events replay</c>: stored events of a window are published again to their
/// routes' topics, marked replayed; a dry run publishes nothing.</summary>
[Collection(AwsEmulatorsCollection.Name)]
public sealed class EventsReplayCommandTests(AwsEmulatorsFixture aws)
{
    private static string Definition => Path.Combine(AppContext.BaseDirectory, "pubsub.json");

    [Fact]
    public async Task A_window_of_stored_events_is_published_again_marked_replayed()
    {
        var subscriber = aws.Resources.QueueUrls["orders-demo"];
        await QueueReader.DrainAsync(aws.Sqs, subscriber, TimeSpan.FromMilliseconds(300));
        var type = "order.replay-" + Guid.NewGuid().ToString("N")[..8];
        var from = DateTimeOffset.UtcNow.AddSeconds(-5);
        using var ingestion = new IngestionHostFactory();
        using var client = ingestion.CreateClient();
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var id = Guid.NewGuid().ToString();
            ids.Add(id);
            using var request = new HttpRequestMessage(HttpMethod.Post, "/events")
            {
                Content = new StringContent($$$"""{"specversion":"1.0","id":"{{{id}}}","source":"it","type":"{{{type}}}","data":{"n":{{{i}}}}}""",
                    Encoding.UTF8, "application/cloudevents+json"),
            };
            request.Headers.Add("x-api-key", IngestionHostFactory.KeyOf("demo"));
            Assert.Equal(HttpStatusCode.Accepted, (await client.SendAsync(request)).StatusCode);
        }

        var window = new[] { "--from", from.ToString("O", CultureInfo.InvariantCulture), "--to", DateTimeOffset.UtcNow.AddSeconds(5).ToString("O", CultureInfo.InvariantCulture) };
        var dry = await CliRunner.RunAsync(null, ["events", "replay", .. window, "--type", type, "--dry-run", "--json", "--definition", Definition]);
        Assert.True(dry.ExitCode == 0, dry.Stderr);
        var dryText = await CliRunner.RunAsync(null, ["events", "replay", .. window, "--type", type, "--dry-run", "--definition", Definition]);
        Assert.Contains("would publish 3", dryText.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("not idempotent", dryText.Stdout, StringComparison.Ordinal); // it published nothing
        Assert.Matches(@"^(scanned \d+, would publish \d+, failed 0 \.\.\.\n)+$", dryText.Stderr.ReplaceLineEndings("\n"));
        Assert.Equal(3, JsonDocument.Parse(dry.Stdout).RootElement.GetProperty("published").GetInt64());
        Assert.Empty(await QueueReader.DrainAsync(aws.Sqs, subscriber, TimeSpan.FromSeconds(1)));

        var replay = await CliRunner.RunAsync(null, ["events", "replay", .. window, "--type", type, "--rate", "50", "--json", "--definition", Definition]);

        Assert.True(replay.ExitCode == 0, replay.Stderr);
        var report = JsonDocument.Parse(replay.Stdout).RootElement;
        Assert.Equal((3L, 3L, true), (report.GetProperty("matched").GetInt64(), report.GetProperty("published").GetInt64(), report.GetProperty("finished").GetBoolean()));
        var delivered = await QueueReader.ReceiveAsync(aws.Sqs, subscriber, 3, TimeSpan.FromSeconds(10));
        Assert.Equal(ids.Order(), delivered.Select(m => m.MessageAttributes["id"].StringValue).Order());
        Assert.All(delivered, m => Assert.Equal("true", m.MessageAttributes["replayed"].StringValue));

        // A finished replay keeps no position: the same command publishes the window again, and says so.
        var again = await CliRunner.RunAsync(null, ["events", "replay", .. window, "--type", type, "--rate", "50", "--definition", Definition]);
        Assert.True(again.ExitCode == 0, again.Stderr);
        Assert.Contains("published 3", again.Stdout, StringComparison.Ordinal);
        Assert.Contains("Replay is not idempotent: running this command again publishes these events again", again.Stdout, StringComparison.Ordinal);
        Assert.Equal(3, (await QueueReader.ReceiveAsync(aws.Sqs, subscriber, 3, TimeSpan.FromSeconds(10))).Count);
    }

    [Fact]
    public async Task A_stored_event_that_cannot_be_decoded_is_reported_and_the_others_are_replayed()
    {
        var subscriber = aws.Resources.QueueUrls["orders-demo"];
        await QueueReader.DrainAsync(aws.Sqs, subscriber, TimeSpan.FromMilliseconds(300));
        var type = "order.poison-" + Guid.NewGuid().ToString("N")[..8];
        var now = DateTimeOffset.UtcNow;
        var good = Guid.NewGuid().ToString();
        var good1 = EventItem.ToItem(new EventEnvelope
        {
            Id = good, Source = "it", Type = type, Publisher = "demo", ReceivedAt = now, OriginRegion = "us-east-1",
        }, TimeSpan.FromDays(1));
        // An item that is not an event (no source): the replay notes it and goes on.
        var poisoned = new Dictionary<string, Amazon.DynamoDBv2.Model.AttributeValue>(good1, StringComparer.Ordinal)
        {
            [EventItem.Key] = new() { S = "demo#poison-" + Guid.NewGuid().ToString("N") },
        };
        poisoned.Remove("source");
        await aws.DynamoDb.PutItemAsync(aws.Definition.Events.Table, poisoned);
        await aws.DynamoDb.PutItemAsync(aws.Definition.Events.Table, good1);
        var window = new[] { "--from", now.AddSeconds(-5).ToString("O", CultureInfo.InvariantCulture), "--to", now.AddSeconds(5).ToString("O", CultureInfo.InvariantCulture) };

        var replay = await CliRunner.RunAsync(null, ["events", "replay", .. window, "--type", type, "--json", "--definition", Definition]);

        Assert.True(replay.ExitCode == 0, replay.Stderr);
        var report = JsonDocument.Parse(replay.Stdout).RootElement;
        Assert.Equal((1L, true), (report.GetProperty("published").GetInt64(), report.GetProperty("finished").GetBoolean()));
        Assert.Contains(report.GetProperty("problems").EnumerateArray(), p => p.GetString()!.Contains("cannot be decoded", StringComparison.Ordinal));
        var delivered = await QueueReader.ReceiveAsync(aws.Sqs, subscriber, 1, TimeSpan.FromSeconds(10));
        Assert.Equal(good, Assert.Single(delivered).MessageAttributes["id"].StringValue);
    }

    [Fact]
    public async Task A_topic_that_refuses_stops_the_replay_with_exit_1_and_a_way_to_resume()
    {
        var folder = Directory.CreateTempSubdirectory("pubsub-replay-").FullName;
        var path = Path.Combine(folder, "pubsub.json");
        var json = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(Definition),
            documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })!.AsObject();
        json["topics"]!.AsArray().Add(new System.Text.Json.Nodes.JsonObject { ["name"] = "ghost" }); // declared, never created
        json["routes"]!.AsArray().Add(System.Text.Json.Nodes.JsonNode.Parse("""{ "name": "ghost", "pattern": { "type": [ "ghost.it" ] }, "topics": [ "ghost" ] }"""));
        await File.WriteAllTextAsync(path, json.ToJsonString());
        using var ingestion = new IngestionHostFactory();
        using var client = ingestion.CreateClient();
        var from = DateTimeOffset.UtcNow.AddSeconds(-5);
        using var request = new HttpRequestMessage(HttpMethod.Post, "/events")
        {
            Content = new StringContent($$$"""{"specversion":"1.0","id":"{{{Guid.NewGuid()}}}","source":"it","type":"ghost.it","data":{}}""",
                Encoding.UTF8, "application/cloudevents+json"),
        };
        request.Headers.Add("x-api-key", IngestionHostFactory.KeyOf("demo"));
        Assert.Equal(HttpStatusCode.Accepted, (await client.SendAsync(request)).StatusCode);

        var replay = await CliRunner.RunAsync(null, "events", "replay", "--from", from.ToString("O", CultureInfo.InvariantCulture),
            "--to", DateTimeOffset.UtcNow.AddSeconds(5).ToString("O", CultureInfo.InvariantCulture), "--type", "ghost.it",
            "--state", Path.Combine(folder, "state.json"), "--definition", path);

        Assert.Equal(1, replay.ExitCode);
        Assert.Contains("failed 1", replay.Stdout, StringComparison.Ordinal);
        Assert.Contains("run the same command again to resume", replay.Stdout, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", replay.Stderr, StringComparison.Ordinal); // no stack trace
    }

    [Fact]
    public async Task A_replay_that_stopped_at_a_failure_resumes_from_its_saved_position()
    {
        var folder = Directory.CreateTempSubdirectory("pubsub-resume-").FullName;
        var path = Path.Combine(folder, "pubsub.json");
        var topic = "resume-" + Guid.NewGuid().ToString("N")[..8];
        var type = "resume.it." + topic;
        var json = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(Definition),
            documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip })!.AsObject();
        json["topics"]!.AsArray().Add(new System.Text.Json.Nodes.JsonObject { ["name"] = topic }); // created only after the first run
        json["routes"]!.AsArray().Add(System.Text.Json.Nodes.JsonNode.Parse($$"""{ "name": "{{topic}}", "pattern": { "type": [ "{{type}}" ] }, "topics": [ "{{topic}}" ] }"""));
        await File.WriteAllTextAsync(path, json.ToJsonString());
        using var ingestion = new IngestionHostFactory();
        using var client = ingestion.CreateClient();
        var from = DateTimeOffset.UtcNow.AddSeconds(-5);
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var id = Guid.NewGuid().ToString();
            ids.Add(id);
            using var request = new HttpRequestMessage(HttpMethod.Post, "/events")
            {
                Content = new StringContent($$$"""{"specversion":"1.0","id":"{{{id}}}","source":"it","type":"{{{type}}}","data":{}}""",
                    Encoding.UTF8, "application/cloudevents+json"),
            };
            request.Headers.Add("x-api-key", IngestionHostFactory.KeyOf("demo"));
            Assert.Equal(HttpStatusCode.Accepted, (await client.SendAsync(request)).StatusCode);
        }

        var state = Path.Combine(folder, "state.json");
        string[] args = ["events", "replay", "--from", from.ToString("O", CultureInfo.InvariantCulture),
            "--to", DateTimeOffset.UtcNow.AddSeconds(5).ToString("O", CultureInfo.InvariantCulture), "--type", type,
            "--page-size", "1", "--state", state, "--definition", path, "--json"];
        var first = await CliRunner.RunAsync(null, args);
        Assert.Equal(1, first.ExitCode);
        var saved = File.Exists(state); // false only if the first item scanned was one of ours

        var topicArn = (await aws.Sns.CreateTopicAsync(new Amazon.SimpleNotificationService.Model.CreateTopicRequest { Name = topic })).TopicArn;
        var queueUrl = (await aws.Sqs.CreateQueueAsync(topic)).QueueUrl;
        var queueArn = (await aws.Sqs.GetQueueAttributesAsync(queueUrl, ["QueueArn"])).QueueARN;
        await aws.Sns.SubscribeAsync(new Amazon.SimpleNotificationService.Model.SubscribeRequest
        {
            TopicArn = topicArn, Protocol = "sqs", Endpoint = queueArn, Attributes = new() { ["RawMessageDelivery"] = "true" },
        });
        var second = await CliRunner.RunAsync(null, args);

        Assert.True(second.ExitCode == 0, second.Stderr + second.Stdout);
        var report = JsonDocument.Parse(second.Stdout).RootElement;
        Assert.Equal(saved, report.GetProperty("resumed").GetBoolean());
        Assert.Equal(3, report.GetProperty("published").GetInt64());
        Assert.False(File.Exists(state)); // finished: nothing left to resume
        var delivered = await QueueReader.ReceiveAsync(aws.Sqs, queueUrl, 3, TimeSpan.FromSeconds(10));
        Assert.Equal(ids.Order(), delivered.Select(m => JsonDocument.Parse(m.Body).RootElement.GetProperty("id").GetString()).Order());
    }
}
