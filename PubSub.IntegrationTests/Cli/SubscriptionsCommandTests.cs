using System.Text.Json;
using Amazon.SimpleNotificationService.Model;
using PubSub.IntegrationTests.Infrastructure;

namespace PubSub.IntegrationTests.Cli;

/// <summary><c>pubsub subscriptions</c> against SNS and SQS: a new subscriber with a filter policy gets
/// exactly what it asked for, is listed, and stops receiving once removed.</summary>
[Collection(AwsEmulatorsCollection.Name)]
public sealed class SubscriptionsCommandTests(AwsEmulatorsFixture aws)
{
    private static string Definition => Path.Combine(AppContext.BaseDirectory, "pubsub.json");

    private async Task PublishAsync(string type) => await aws.Sns.PublishAsync(new PublishRequest
    {
        TopicArn = aws.Resources.TopicArns["orders"],
        Message = $$"""{"type":"{{type}}"}""",
        MessageAttributes = new() { ["type"] = new MessageAttributeValue { DataType = "String", StringValue = type } },
    });

    [Fact]
    public async Task Add_list_and_remove_a_filtered_subscription()
    {
        var queue = "it-sub-" + Guid.NewGuid().ToString("N")[..10];
        var policy = Path.GetTempFileName();
        // A value with "<" too: it must be shown as written, not as the default encoder's "\u003C".
        await File.WriteAllTextAsync(policy, """{ "type": [ "order.created", "a<b" ] }""");

        var add = await CliRunner.RunAsync(null, "subscriptions", "add", "--topic", "orders", "--protocol", "sqs", "--endpoint", queue,
            "--filter-policy", policy, "--raw", "--dlq", queue + "-dlq", "--definition", Definition, "--json");
        Assert.True(add.ExitCode == 0, add.Stderr);
        var arn = JsonDocument.Parse(add.Stdout).RootElement.GetProperty("subscriptionArn").GetString()!;
        var queueUrl = (await aws.Sqs.GetQueueUrlAsync(queue)).QueueUrl;

        await PublishAsync("order.shipped");
        await PublishAsync("order.created");
        var received = await QueueReader.ReceiveAsync(aws.Sqs, queueUrl, 2, TimeSpan.FromSeconds(5));
        Assert.Equal(["""{"type":"order.created"}"""], received.Select(m => m.Body));

        var list = await CliRunner.RunAsync(null, "subscriptions", "list", "--topic", "orders", "--definition", Definition, "--json");
        var listed = Assert.Single(JsonDocument.Parse(list.Stdout).RootElement.EnumerateArray(), s => s.GetProperty("subscriptionArn").GetString() == arn);
        Assert.Equal(("""{"type":["order.created","a<b"]}""", "MessageAttributes", true), (listed.GetProperty("filterPolicy").GetString(),
            listed.GetProperty("filterPolicyScope").GetString(), listed.GetProperty("rawMessageDelivery").GetBoolean()));
        // The table, redirected: one line per subscription, the ARN whole, the policy and raw delivery shown.
        var table = await CliRunner.RunAsync(null, "subscriptions", "list", "--topic", "orders", "--definition", Definition);
        var line = Assert.Single(table.Stdout.Split('\n'), l => l.Contains(arn, StringComparison.Ordinal));
        Assert.Contains("""{"type":["order.created","a<b"]}""", line, StringComparison.Ordinal);
        Assert.Matches(@"\byes\b", line);

        var remove = await CliRunner.RunAsync(null, "subscriptions", "remove", arn);
        Assert.True(remove.ExitCode == 0, remove.Stderr);
        await PublishAsync("order.created");
        Assert.Empty(await QueueReader.DrainAsync(aws.Sqs, queueUrl, TimeSpan.FromSeconds(2)));
        await QueueReader.DrainAsync(aws.Sqs, aws.Resources.QueueUrls["orders-demo"], TimeSpan.FromMilliseconds(500)); // leave the demo queue as found
    }

    [Fact]
    public async Task Unknown_topics_and_protocols_are_refused()
    {
        var topic = await CliRunner.RunAsync(null, "subscriptions", "add", "--topic", "nope", "--protocol", "sqs", "--endpoint", "q", "--definition", Definition);
        var protocol = await CliRunner.RunAsync(null, "subscriptions", "add", "--topic", "orders", "--protocol", "pigeon", "--endpoint", "q", "--definition", Definition);

        Assert.Equal(2, topic.ExitCode);
        Assert.Contains("not a topic", topic.Stderr, StringComparison.Ordinal);
        Assert.Equal(2, protocol.ExitCode);
    }
}
