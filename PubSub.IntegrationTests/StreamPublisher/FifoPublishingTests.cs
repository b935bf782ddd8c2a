using System.Diagnostics.Metrics;
using System.Text.Json;
using Amazon.SQS.Model;
using Microsoft.Extensions.DependencyInjection;
using Amazon.SimpleNotificationService.Model;
using PubSub.Aws.SimpleNotificationService;
using PubSub.Events;
using PubSub.IntegrationTests.Infrastructure;
using PubSub.Json;
using PubSub.StreamPublisher.Core;

namespace PubSub.IntegrationTests.StreamPublisher;

/// <summary>The topic publisher against a real FIFO topic and FIFO queue: the group comes from the
/// event's <c>partitionkey</c> (else its subject), order holds within a group, and the event id
/// deduplicates a second publish.</summary>
[Collection(AwsEmulatorsCollection.Name)]
public sealed class FifoPublishingTests(AwsEmulatorsFixture aws)
{
    [Fact]
    public async Task Fifo_topics_get_group_and_deduplication_ids_and_keep_order()
    {
        var name = "it-" + Guid.NewGuid().ToString("N")[..12] + ".fifo";
        var topicArn = (await aws.Sns.CreateTopicAsync(new CreateTopicRequest { Name = name, Attributes = new() { ["FifoTopic"] = "true" } })).TopicArn;
        var queueUrl = (await aws.Sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = name, Attributes = new() { ["FifoQueue"] = "true" } })).QueueUrl;
        var queueArn = (await aws.Sqs.GetQueueAttributesAsync(queueUrl, ["QueueArn"])).QueueARN;
        await aws.Sns.SubscribeAsync(new SubscribeRequest
        {
            TopicArn = topicArn, Protocol = "sqs", Endpoint = queueArn, Attributes = new() { ["RawMessageDelivery"] = "true" },
        });
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var publisher = new TopicPublisher(aws.Sns, new TopicDirectory(aws.Sns, new Dictionary<string, string> { [name] = topicArn }),
            new PublisherSettings("us-east-1", "unused"), new StreamPublisherMetrics(services.GetRequiredService<IMeterFactory>()),
            TimeProvider.System);

        PendingMessage Message(string id, string? subject, string? partitionKey) => new(0, new EventEnvelope
        {
            Id = id,
            Source = "it",
            Type = "order.created",
            Subject = subject,
            Extensions = partitionKey is null ? null : new Dictionary<string, string> { ["partitionkey"] = JsonSerializer.Serialize(partitionKey) },
            Data = JsonPayload.FromString("{}"),
            Publisher = "demo",
            ReceivedAt = DateTimeOffset.UtcNow,
            OriginRegion = "us-east-1",
        }, name, $$"""{"id":"{{id}}"}""", default);

        var failures = await publisher.PublishAsync(name,
            [Message("a1", "orders/1", "customer-7"), Message("a2", "orders/2", "customer-7"), Message("b1 ünï", "orders 9 日本", null)],
            CancellationToken.None);
        failures = [.. failures, .. await publisher.PublishAsync(name, [Message("a1", "orders/1", "customer-7")], CancellationToken.None)];

        Assert.Empty(failures);
        var received = new List<Message>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (received.Count < 3 && !deadline.IsCancellationRequested)
        {
            var page = await aws.Sqs.ReceiveMessageAsync(new ReceiveMessageRequest
            {
                QueueUrl = queueUrl, MaxNumberOfMessages = 10, WaitTimeSeconds = 1, MessageSystemAttributeNames = ["All"],
            });
            foreach (var message in page.Messages ?? [])
            {
                received.Add(message);
                await aws.Sqs.DeleteMessageAsync(queueUrl, message.ReceiptHandle);
            }
        }

        var extra = await QueueReader.DrainAsync(aws.Sqs, queueUrl, TimeSpan.FromSeconds(2));
        Assert.Empty(extra); // the second publish of a1 was deduplicated by its id
        var byGroup = received.GroupBy(m => m.Attributes["MessageGroupId"]).ToDictionary(g => g.Key, g => g.Select(Id).ToList());
        Assert.Equal(["a1", "a2"], byGroup[FifoKeys.GroupOf(Message("a1", "orders/1", "customer-7").Envelope)]);
        Assert.Equal(["b1 ünï"], byGroup[FifoKeys.GroupOf(Message("b1 ünï", "orders 9 日本", null).Envelope)]);
        Assert.All(received, m => Assert.Matches("^[0-9a-f]{64}$", m.Attributes["MessageDeduplicationId"]));
    }

    private static string Id(Message message) => JsonDocument.Parse(message.Body).RootElement.GetProperty("id").GetString()!;
}
