using Amazon.DynamoDBv2;
using Amazon.SQS.Model;
using Amazon.SimpleNotificationService.Model;
using PubSub.Definition;
using PubSub.IntegrationTests.Infrastructure;

namespace PubSub.IntegrationTests.Provisioning;

[Collection(AwsEmulatorsCollection.Name)]
public sealed class LocalProvisionerTests(AwsEmulatorsFixture aws)
{
    [Fact]
    public async Task Every_resource_of_the_definition_exists_after_provisioning()
    {
        var table = (await aws.DynamoDb.DescribeTableAsync(aws.Definition.Events.Table)).Table;
        Assert.Equal(StreamViewType.NEW_IMAGE, table.StreamSpecification.StreamViewType);
        var ttl = (await aws.DynamoDb.DescribeTimeToLiveAsync(aws.Definition.Events.Table)).TimeToLiveDescription;
        Assert.Equal("expiresAt", ttl.AttributeName);

        await aws.S3.GetBucketLocationAsync(aws.Definition.Events.ArchiveBucket).ContinueWith(_ => { }); // not all emulators answer it
        Assert.Contains(aws.Definition.Events.ArchiveBucket, (await aws.S3.ListBucketsAsync()).Buckets.Select(b => b.BucketName));

        foreach (var queue in new[] { "pubsub-ingestion-dlq", "pubsub-publish-dlq", "orders-demo", "customers-demo", "unrouted-demo", "alerts-demo" })
        {
            Assert.True(aws.Resources.QueueUrls.ContainsKey(queue), $"queue {queue}");
            var attributes = await aws.Sqs.GetQueueAttributesAsync(aws.Resources.QueueUrls[queue], ["All"]);
            Assert.NotNull(attributes.QueueARN);
        }

        Assert.Equal(["orders", "customers", "alerts", "unrouted"], aws.Resources.TopicArns.Keys);
        foreach (var subscription in aws.Definition.Subscriptions)
        {
            var listed = await aws.Sns.ListSubscriptionsByTopicAsync(new ListSubscriptionsByTopicRequest { TopicArn = aws.Resources.TopicArns[subscription.Topic] });
            // A webhook's topic delivers to the webhook's queue (sqs); "webhook" is no SNS protocol.
            var queue = subscription.IsWebhook ? WebhookNames.Queue(aws.Definition, subscription.Id!) : subscription.Endpoint;
            Assert.Contains(listed.Subscriptions, s => s.Protocol == "sqs" && s.Endpoint!.EndsWith(":" + queue, StringComparison.Ordinal));
        }
    }

    [Fact]
    public async Task Provisioning_again_changes_nothing_and_keeps_queued_messages()
    {
        var queueUrl = aws.Resources.QueueUrls["unrouted-demo"];
        await aws.Sqs.SendMessageAsync(new SendMessageRequest(queueUrl, "keep me"));
        var ordersArn = aws.Resources.TopicArns["orders"];
        var before = await aws.Sns.ListSubscriptionsByTopicAsync(new ListSubscriptionsByTopicRequest { TopicArn = ordersArn });

        var again = await aws.NewProvisioner().ProvisionAsync(aws.Definition, CancellationToken.None);

        Assert.Equal(aws.Resources.StreamArn, again.StreamArn);
        Assert.Equal(aws.Resources.TopicArns, again.TopicArns);
        Assert.Equal(aws.Resources.QueueUrls, again.QueueUrls);
        var subscriptions = await aws.Sns.ListSubscriptionsByTopicAsync(new ListSubscriptionsByTopicRequest { TopicArn = again.TopicArns["orders"] });
        // The emulator is shared with other tests that subscribe their own queues to "orders": compare with before.
        Assert.Equal(before.Subscriptions.Select(s => s.SubscriptionArn).Order(StringComparer.Ordinal),
            subscriptions.Subscriptions.Select(s => s.SubscriptionArn).Order(StringComparer.Ordinal));
        Assert.True(subscriptions.Subscriptions.Count >= aws.Definition.Subscriptions.Count(s => s.Topic == "orders"));
        var kept = await QueueReader.ReceiveAsync(aws.Sqs, queueUrl, 1, TimeSpan.FromSeconds(5));
        Assert.Equal(["keep me"], kept.Select(m => m.Body));
    }
}
