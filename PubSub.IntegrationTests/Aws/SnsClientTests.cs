using System.Text.Json;

using Amazon.SimpleNotificationService;
using Amazon.SimpleNotificationService.Model;
using PubSub.IntegrationTests.Infrastructure;

namespace PubSub.IntegrationTests.Aws;

/// <summary>Our SNS client against a real SNS API (fauxqs, LocalStack or moto), with SQS subscribers.</summary>
/// <remarks>Written once, run against each backend: <see cref="OnEmulators"/> and <see cref="OnMoto"/>.</remarks>
public abstract class SnsClientTests(IAwsBackend aws)
{
    [Collection(AwsEmulatorsCollection.Name)]
    public sealed class OnEmulators(AwsEmulatorsFixture aws) : SnsClientTests(aws);

    [Collection(MotoCollection.Name)]
    public sealed class OnMoto(MotoFixture aws) : SnsClientTests(aws), IRunsOnMoto;

    private async Task<(string TopicArn, string QueueUrl, string SubscriptionArn)> TopicWithQueueAsync(
        Dictionary<string, string>? subscriptionAttributes = null)
    {
        var name = "it-" + Guid.NewGuid().ToString("N")[..12];
        var topicArn = (await aws.Sns.CreateTopicAsync(new CreateTopicRequest { Name = name })).TopicArn;
        var queueUrl = (await aws.Sqs.CreateQueueAsync(name)).QueueUrl;
        var queueArn = (await aws.Sqs.GetQueueAttributesAsync(queueUrl, ["QueueArn"])).QueueARN;
        var subscription = await aws.Sns.SubscribeAsync(new SubscribeRequest
        {
            TopicArn = topicArn,
            Protocol = "sqs",
            Endpoint = queueArn,
            Attributes = subscriptionAttributes ?? new() { ["RawMessageDelivery"] = "true" },
            ReturnSubscriptionArn = true,
        });
        return (topicArn, queueUrl, subscription.SubscriptionArn);
    }

    [AwsFact]
    public async Task CreateTopic_is_idempotent_and_the_topic_is_listed()
    {
        var name = "it-" + Guid.NewGuid().ToString("N")[..12];

        var first = await aws.Sns.CreateTopicAsync(new CreateTopicRequest { Name = name });
        var second = await aws.Sns.CreateTopicAsync(new CreateTopicRequest { Name = name });
        var listed = new List<string>();
        string? next = null;
        do
        {
            var page = await aws.Sns.ListTopicsAsync(new ListTopicsRequest { NextToken = next });
            listed.AddRange(page.Topics.Select(t => t.TopicArn));
            next = page.NextToken;
        }
        while (next is not null);

        Assert.Equal(first.TopicArn, second.TopicArn);
        Assert.EndsWith(":" + name, first.TopicArn, StringComparison.Ordinal);
        Assert.Contains(first.TopicArn, listed);
    }

    [AwsFact]
    public async Task A_published_message_reaches_the_subscribed_queue_with_its_attributes()
    {
        var (topicArn, queueUrl, _) = await TopicWithQueueAsync();

        var published = await aws.Sns.PublishAsync(new PublishRequest
        {
            TopicArn = topicArn,
            Message = """{"hello":"world & more"}""",
            MessageAttributes = new() { ["type"] = new MessageAttributeValue { DataType = "String", StringValue = "order.created" } },
        });

        var message = Assert.Single(await QueueReader.ReceiveAsync(aws.Sqs, queueUrl, 1, TimeSpan.FromSeconds(10)));
        Assert.NotNull(published.MessageId);
        Assert.Equal("""{"hello":"world & more"}""", message.Body);
        Assert.Equal("order.created", message.MessageAttributes["type"].StringValue);
    }

    [AwsFact]
    public async Task PublishBatch_delivers_every_entry_and_reports_each_success()
    {
        var (topicArn, queueUrl, _) = await TopicWithQueueAsync();
        var entries = Enumerable.Range(0, 10)
            .Select(i => new PublishBatchRequestEntry { Id = $"e{i}", Message = $"m{i}" })
            .ToList();

        var response = await aws.Sns.PublishBatchAsync(new PublishBatchRequest { TopicArn = topicArn, PublishBatchRequestEntries = entries });

        Assert.Equal(10, response.Successful.Count);
        Assert.Empty(response.Failed);
        var bodies = (await QueueReader.ReceiveAsync(aws.Sqs, queueUrl, 10, TimeSpan.FromSeconds(10))).Select(m => m.Body);
        Assert.Equal(entries.Select(e => e.Message).Order(), bodies.Order());
    }

    [AwsFact]
    public async Task A_filter_policy_keeps_out_what_it_does_not_match()
    {
        var (topicArn, queueUrl, _) = await TopicWithQueueAsync(new()
        {
            ["RawMessageDelivery"] = "true",
            ["FilterPolicy"] = """{"type":[{"prefix":"order."}]}""",
        });

        await aws.Sns.PublishAsync(new PublishRequest { TopicArn = topicArn, Message = "no", MessageAttributes = new() { ["type"] = new MessageAttributeValue { DataType = "String", StringValue = "customer.created" } } });
        await aws.Sns.PublishAsync(new PublishRequest { TopicArn = topicArn, Message = "yes", MessageAttributes = new() { ["type"] = new MessageAttributeValue { DataType = "String", StringValue = "order.paid" } } });

        var received = await QueueReader.DrainAsync(aws.Sqs, queueUrl, TimeSpan.FromSeconds(3));
        Assert.Equal(["yes"], received.Select(m => m.Body));
    }

    [AwsFact]
    public async Task Subscription_attributes_can_be_changed_listed_and_the_subscription_removed()
    {
        var (topicArn, queueUrl, subscriptionArn) = await TopicWithQueueAsync();

        await aws.Sns.SetSubscriptionAttributesAsync(new SetSubscriptionAttributesRequest(subscriptionArn, "RawMessageDelivery", "false"));
        await aws.Sns.PublishAsync(new PublishRequest { TopicArn = topicArn, Message = "wrapped" });
        var wrapped = Assert.Single(await QueueReader.ReceiveAsync(aws.Sqs, queueUrl, 1, TimeSpan.FromSeconds(10)));
        using (var envelope = JsonDocument.Parse(wrapped.Body))
        {
            Assert.Equal("wrapped", envelope.RootElement.GetProperty("Message").GetString());
        }

        var listed = await aws.Sns.ListSubscriptionsByTopicAsync(new ListSubscriptionsByTopicRequest { TopicArn = topicArn });
        var subscription = Assert.Single(listed.Subscriptions);
        Assert.Equal((subscriptionArn, "sqs"), (subscription.SubscriptionArn, subscription.Protocol));

        await aws.Sns.UnsubscribeAsync(new UnsubscribeRequest(subscriptionArn));
        await aws.Sns.PublishAsync(new PublishRequest { TopicArn = topicArn, Message = "after" });
        Assert.Empty(await QueueReader.DrainAsync(aws.Sqs, queueUrl, TimeSpan.FromSeconds(2)));
        Assert.Empty((await aws.Sns.ListSubscriptionsByTopicAsync(new ListSubscriptionsByTopicRequest { TopicArn = topicArn })).Subscriptions);
    }

    [AwsFact]
    public async Task Publishing_to_a_deleted_topic_raises_a_typed_not_found_error()
    {
        var (topicArn, _, _) = await TopicWithQueueAsync();

        await aws.Sns.DeleteTopicAsync(new DeleteTopicRequest(topicArn));
        var error = await Assert.ThrowsAsync<AmazonSimpleNotificationServiceException>(
            () => aws.Sns.PublishAsync(new PublishRequest { TopicArn = topicArn, Message = "x" }));

        Assert.Equal("NotFound", error.ErrorCode);
        Assert.Equal(System.Net.HttpStatusCode.NotFound, error.StatusCode);
    }

    [AwsFact]
    public async Task An_invalid_request_raises_a_typed_error_carrying_the_sns_code()
    {
        var error = await Assert.ThrowsAsync<AmazonSimpleNotificationServiceException>(
            () => aws.Sns.CreateTopicAsync(new CreateTopicRequest { Name = "not a valid name!" }));

        Assert.Equal("InvalidParameter", error.ErrorCode);
        Assert.Equal(Amazon.Runtime.ErrorType.Sender, error.ErrorType);
    }
}
