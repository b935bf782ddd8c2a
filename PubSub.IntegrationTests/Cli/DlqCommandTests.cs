using System.Diagnostics;
using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using PubSub.DeadLetters;
using PubSub.Events;
using PubSub.IntegrationTests.Infrastructure;
using PubSub.IntegrationTests.Ingestion;

namespace PubSub.IntegrationTests.Cli;

/// <summary><c>pubsub dlq</c> against the emulators: dead letters in the real format are listed,
/// peeked, replayed where they failed to go (exactly once in effect) and purged.</summary>
[Collection(AwsEmulatorsCollection.Name)]
public sealed class DlqCommandTests(AwsEmulatorsFixture aws)
{
    private static string Definition => TestEvents.Definition;

    private string IngestionDlq => aws.Resources.QueueUrls[aws.Definition.DeadLetterQueues.Ingestion];

    private string PublishDlq => aws.Resources.QueueUrls[aws.Definition.DeadLetterQueues.Publish];

    private static EventEnvelope Event(string id, string type = "order.created", string data = """{"orderId":1}""") =>
        TestEvents.Envelope(id, type, data);

    private async Task SendIngestionLetterAsync(EventEnvelope e) =>
        await aws.Sqs.SendMessageAsync(IngestionDlq, DeadLetterMessage.ForIngestion(EventItem.ToItem(e, TimeSpan.FromDays(1)),
            aws.Definition.Events.Table, "ProvisionedThroughputExceededException", "throttled", DateTimeOffset.UtcNow));

    private async Task SendPublishLetterAsync(EventEnvelope e, string topic = "orders") =>
        await aws.Sqs.SendMessageAsync(PublishDlq, TestEvents.PublishLetter(e, topic));

    private static Task<CliResult> Pubsub(params string[] args) => CliRunner.RunAsync(null, [.. args, "--definition", Definition]);

    [Fact]
    public async Task List_and_peek_show_what_waits_and_leave_it_there()
    {
        await Pubsub("dlq", "purge", "publish", "--yes");
        var id = Guid.NewGuid().ToString();
        await SendPublishLetterAsync(Event(id));

        var list = await Pubsub("dlq", "list", "--json");
        var peek = await Pubsub("dlq", "peek", "publish", "--json");
        var again = await Pubsub("dlq", "list", "--json");

        Assert.True(list.ExitCode == 0, list.Stderr);
        var publish = JsonDocument.Parse(list.Stdout).RootElement.EnumerateArray().Single(q => q.GetProperty("role").GetString() == "publish");
        Assert.Equal(1, publish.GetProperty("visible").GetInt64());
        var entry = JsonDocument.Parse(peek.Stdout).RootElement.EnumerateArray().Single();
        Assert.Equal((id, "publish", "orders", "InternalError"), (entry.GetProperty("eventId").GetString(), entry.GetProperty("kind").GetString(),
            entry.GetProperty("target").GetString(), entry.GetProperty("errorCode").GetString()));
        Assert.Equal(1, JsonDocument.Parse(again.Stdout).RootElement.EnumerateArray()
            .Single(q => q.GetProperty("role").GetString() == "publish").GetProperty("visible").GetInt64());
        await Pubsub("dlq", "purge", "publish", "--yes");
    }

    [Fact]
    public async Task Ingestion_letters_are_written_to_the_table_once_and_conflicts_stay_for_a_person()
    {
        await Pubsub("dlq", "purge", "ingestion", "--yes");
        var id = Guid.NewGuid().ToString();
        await SendIngestionLetterAsync(Event(id));

        var dry = await Pubsub("dlq", "replay", "ingestion", "--dry-run", "--json");
        Assert.Null(await StoredAsync(id)); // a dry run writes nothing
        var first = await Pubsub("dlq", "replay", "ingestion", "--json");
        await SendIngestionLetterAsync(Event(id)); // the same event dead-lettered twice
        await SendIngestionLetterAsync(Event(id, data: """{"orderId":2,"other":true}""")); // the same id, other content
        var second = await Pubsub("dlq", "replay", "ingestion", "--json");

        Assert.Equal((1, 1, 0), Counts(dry));
        Assert.True(first.ExitCode == 0, first.Stderr);
        Assert.Equal((1, 1, 0), Counts(first));
        Assert.NotNull(await StoredAsync(id));
        Assert.Equal(1, second.ExitCode); // one failed
        var report = JsonDocument.Parse(second.Stdout).RootElement;
        Assert.Equal((2, 0, 1, 1), (report.GetProperty("read").GetInt32(), report.GetProperty("replayed").GetInt32(),
            report.GetProperty("duplicates").GetInt32(), report.GetProperty("failed").GetInt32()));
        Assert.Contains("different event", report.GetProperty("problems")[0].GetString(), StringComparison.Ordinal);
        var left = await QueueReader.DrainAsync(aws.Sqs, IngestionDlq, TimeSpan.FromSeconds(1));
        Assert.Single(left); // the conflict is still there
    }

    [Fact]
    public async Task Publish_letters_reach_their_topic_marked_as_replayed()
    {
        await Pubsub("dlq", "purge", "publish", "--yes");
        var subscriber = aws.Resources.QueueUrls["orders-demo"];
        await QueueReader.DrainAsync(aws.Sqs, subscriber, TimeSpan.FromMilliseconds(300));
        var id = Guid.NewGuid().ToString();
        await SendPublishLetterAsync(Event(id));
        await SendPublishLetterAsync(Event(Guid.NewGuid().ToString()), topic: "no-such-topic");

        var dry = await Pubsub("dlq", "replay", "publish", "--dry-run");
        var replay = await Pubsub("dlq", "replay", "publish");

        // A dry run's progress and summary say what it would do; redirected, each progress report is a line of its own.
        Assert.Contains("read 2, would replay 1, duplicates 0, failed 1", dry.Stdout, StringComparison.Ordinal);
        Assert.Contains(", would replay ", dry.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("replayed", dry.Stderr, StringComparison.Ordinal);
        Assert.DoesNotContain("\r", dry.Stderr, StringComparison.Ordinal);
        Assert.EndsWith("\n", dry.Stderr, StringComparison.Ordinal);
        Assert.Equal(1, replay.ExitCode);
        Assert.Contains("read 2, replayed 1, duplicates 0, failed 1, skipped 0", replay.Stdout, StringComparison.Ordinal);
        var delivered = await QueueReader.ReceiveAsync(aws.Sqs, subscriber, 1, TimeSpan.FromSeconds(15));
        var message = Assert.Single(delivered);
        Assert.Equal(id, message.MessageAttributes["id"].StringValue);
        Assert.Equal("true", message.MessageAttributes["replayed"].StringValue);
        Assert.Equal(id, JsonDocument.Parse(message.Body).RootElement.GetProperty("id").GetString());
        await Pubsub("dlq", "purge", "publish", "--yes");
    }

    [Fact]
    public async Task A_replay_killed_midway_loses_nothing_and_the_next_one_finishes()
    {
        await Pubsub("dlq", "purge", "ingestion", "--yes");
        var ids = Enumerable.Range(0, 60).Select(_ => Guid.NewGuid().ToString()).ToList();
        foreach (var id in ids)
        {
            await SendIngestionLetterAsync(Event(id));
        }

        // Kill the first replay as soon as it reports progress.
        var info = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = AppContext.BaseDirectory };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "pubsub.dll"), "dlq", "replay", "ingestion", "--definition", Definition })
        {
            info.ArgumentList.Add(arg);
        }

        using (var process = Process.Start(info)!)
        {
            var buffer = new char[64];
            var read = await process.StandardError.ReadAsync(buffer);
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            Assert.True(read > 0);
        }

        // Messages the killed replay held become visible again after its visibility timeout; a
        // second replay with a short wait must account for every event.
        var deadline = DateTimeOffset.UtcNow.AddMinutes(3);
        while (DateTimeOffset.UtcNow < deadline && (await StoredCountAsync(ids)) < ids.Count)
        {
            await Pubsub("dlq", "replay", "ingestion");
            await Task.Delay(2000);
        }

        Assert.Equal(ids.Count, await StoredCountAsync(ids));
    }

    [Fact]
    public async Task Events_accepted_while_the_table_was_down_are_replayed_into_it()
    {
        await Pubsub("dlq", "purge", "ingestion", "--yes");
        var id = Guid.NewGuid().ToString();
        using (var broken = new IngestionHostFactory(dynamoDbEndpoint: "http://127.0.0.1:9"))
        {
            using var client = broken.CreateClient();
            using var request = new HttpRequestMessage(HttpMethod.Post, "/events")
            {
                Content = new StringContent($$$"""{"specversion":"1.0","id":"{{{id}}}","source":"it","type":"order.created","data":{"orderId":3}}""",
                    System.Text.Encoding.UTF8, "application/cloudevents+json"),
            };
            request.Headers.Add("x-api-key", IngestionHostFactory.KeyOf("demo"));
            Assert.Equal(System.Net.HttpStatusCode.Accepted, (await client.SendAsync(request)).StatusCode); // safe in the DLQ
        }

        Assert.Null(await StoredAsync(id));
        var replay = await Pubsub("dlq", "replay", "ingestion", "--json");

        Assert.True(replay.ExitCode == 0, replay.Stderr);
        Assert.Equal((1, 1, 0), Counts(replay));
        var stored = EventItem.FromItem((await StoredAsync(id))!);
        Assert.Equal("3", JsonDocument.Parse(stored.Data!.Utf8).RootElement.GetProperty("orderId").GetRawText());
    }

    [Fact]
    public async Task Letters_that_name_another_table_or_topic_are_refused_and_stay_in_the_queue()
    {
        await Pubsub("dlq", "purge", "ingestion", "--yes");
        await Pubsub("dlq", "purge", "publish", "--yes");
        var foreignTable = "foreign-" + Guid.NewGuid().ToString("N");
        await aws.DynamoDb.CreateTableAsync(new CreateTableRequest
        {
            TableName = foreignTable,
            KeySchema = [new KeySchemaElement(EventItem.Key, Amazon.DynamoDBv2.KeyType.HASH)],
            AttributeDefinitions = [new AttributeDefinition(EventItem.Key, Amazon.DynamoDBv2.ScalarAttributeType.S)],
            BillingMode = Amazon.DynamoDBv2.BillingMode.PAY_PER_REQUEST,
        });
        var id = Guid.NewGuid().ToString();
        await aws.Sqs.SendMessageAsync(IngestionDlq, DeadLetterMessage.ForIngestion(EventItem.ToItem(Event(id), TimeSpan.FromDays(1)),
            foreignTable, "InternalServerError", "crafted", DateTimeOffset.UtcNow));
        await aws.Sqs.SendMessageAsync(PublishDlq, DeadLetterMessage.ForPublish(Event(id), DeadLetterReason.PublishFailed, "orders", aws.Resources.TopicArns["customers"],
            "InternalError", "crafted", 3, DateTimeOffset.UtcNow));
        await aws.Sqs.SendMessageAsync(PublishDlq, DeadLetterMessage.ForPublish(Event(id), DeadLetterReason.PublishFailed, "attacker", "arn:aws:sns:us-east-1:999999999999:attacker",
            "InternalError", "crafted", 3, DateTimeOffset.UtcNow));

        var ingestion = await Pubsub("dlq", "replay", "ingestion", "--json");
        var publish = await Pubsub("dlq", "replay", "publish", "--json");

        Assert.Equal((1, 0, 1), Counts(ingestion));
        Assert.Equal((2, 0, 2), Counts(publish));
        var problems = JsonDocument.Parse(ingestion.Stdout).RootElement.GetProperty("problems").EnumerateArray()
            .Concat(JsonDocument.Parse(publish.Stdout).RootElement.GetProperty("problems").EnumerateArray())
            .Select(p => p.GetString()!).ToList();
        Assert.All(problems, p => Assert.Contains("refused", p, StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains(foreignTable, StringComparison.Ordinal));
        var written = await aws.DynamoDb.GetItemAsync(foreignTable, new() { [EventItem.Key] = new AttributeValue { S = EventItem.KeyOf("demo", id) } });
        Assert.False(written.Item is { Count: > 0 });
        Assert.Single(await QueueReader.DrainAsync(aws.Sqs, IngestionDlq, TimeSpan.FromSeconds(1)));
        Assert.Equal(2, (await QueueReader.DrainAsync(aws.Sqs, PublishDlq, TimeSpan.FromSeconds(1))).Count);
    }

    private static (int Read, int Replayed, int Failed) Counts(CliResult result)
    {
        var report = JsonDocument.Parse(result.Stdout).RootElement;
        return (report.GetProperty("read").GetInt32(), report.GetProperty("replayed").GetInt32(), report.GetProperty("failed").GetInt32());
    }

    private async Task<Dictionary<string, AttributeValue>?> StoredAsync(string id)
    {
        var item = (await aws.DynamoDb.GetItemAsync(new GetItemRequest
        {
            TableName = aws.Definition.Events.Table,
            Key = new() { [EventItem.Key] = new AttributeValue { S = EventItem.KeyOf("demo", id) } },
            ConsistentRead = true,
        })).Item;
        return item is { Count: > 0 } ? item : null;
    }

    private async Task<int> StoredCountAsync(List<string> ids)
    {
        var count = 0;
        foreach (var id in ids)
        {
            count += await StoredAsync(id) is null ? 0 : 1;
        }

        return count;
    }
}
