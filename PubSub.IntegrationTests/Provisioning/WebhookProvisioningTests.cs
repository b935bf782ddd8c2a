using System.Globalization;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.SimpleNotificationService.Model;
using PubSub.Definition;
using PubSub.IntegrationTests.Infrastructure;

namespace PubSub.IntegrationTests.Provisioning;

/// <summary>Webhook subscriptions provisioned on the shared emulators under a definition of the test's own (its
/// names carry a random part, so the repository's definition and other tests are untouched): per subscription a
/// DLQ, a queue with redrive and the SNS subscription to it, and the attempts and endpoints tables.</summary>
[Collection(AwsEmulatorsCollection.Name)]
public sealed class WebhookProvisioningTests(AwsEmulatorsFixture aws)
{
    private static readonly JsonSerializerOptions Web = new(JsonSerializerDefaults.Web);

    [Fact]
    public async Task Each_webhook_gets_a_redriven_queue_a_raw_filtered_subscription_and_the_tables()
    {
        var definition = Definition();
        var resources = await aws.NewProvisioner().ProvisionAsync(definition, CancellationToken.None);

        foreach (var webhook in definition.Subscriptions.Where(s => s.IsWebhook))
        {
            var dlqUrl = resources.QueueUrls[WebhookNames.DeadLetterQueue(definition, webhook.Id!)];
            var dlq = await aws.Sqs.GetQueueAttributesAsync(dlqUrl, ["All"]);
            Assert.Equal(1_209_600, dlq.MessageRetentionPeriod);

            var queueUrl = resources.QueueUrls[WebhookNames.Queue(definition, webhook.Id!)];
            var queue = await aws.Sqs.GetQueueAttributesAsync(queueUrl, ["All"]);
            Assert.Equal((int)WebhookQueues.VisibilityTimeout.TotalSeconds, queue.VisibilityTimeout);
            Assert.True(queue.VisibilityTimeout > 60, "a queue hides a message longer than the longest attempt");
            Assert.Equal(1_209_600, queue.MessageRetentionPeriod);
            var redrive = JsonSerializer.Deserialize<JsonElement>(queue.Attributes["RedrivePolicy"]);
            Assert.Equal(dlq.QueueARN, redrive.GetProperty("deadLetterTargetArn").GetString());
            Assert.Equal(1000, int.Parse(redrive.GetProperty("maxReceiveCount").ToString(), CultureInfo.InvariantCulture));
            var policy = JsonSerializer.Deserialize<JsonElement>(queue.Policy);
            Assert.Contains(resources.TopicArns[webhook.Topic], policy.GetRawText(), StringComparison.Ordinal);

            var subscription = await SubscriptionToAsync(resources.TopicArns[webhook.Topic], queue.QueueARN);
            var attributes = (await aws.Sns.GetSubscriptionAttributesAsync(new GetSubscriptionAttributesRequest(subscription.SubscriptionArn))).Attributes;
            Assert.Equal("true", attributes["RawMessageDelivery"]);
            if (webhook.FilterPolicy is { } filter)
            {
                Assert.Equal(JsonSerializer.Serialize(filter, Web), JsonSerializer.Serialize(JsonSerializer.Deserialize<JsonElement>(attributes["FilterPolicy"]), Web));
                Assert.Equal("MessageAttributes", attributes["FilterPolicyScope"]);
            }
            else
            {
                Assert.False(attributes.ContainsKey("FilterPolicy"), "no filter policy on the unfiltered webhook");
            }
        }

        // No SNS subscription with a protocol "webhook", and none to the receivers' URLs.
        var all = await aws.Sns.ListSubscriptionsByTopicAsync(new ListSubscriptionsByTopicRequest { TopicArn = resources.TopicArns[definition.Topics[0].Name] });
        Assert.Equal(2, all.Subscriptions.Count);
        Assert.All(all.Subscriptions, s => Assert.Equal("sqs", s.Protocol));

        var attempts = (await aws.DynamoDb.DescribeTableAsync(WebhookNames.AttemptsTable(definition))).Table;
        Assert.Equal([("pk", KeyType.HASH), ("sk", KeyType.RANGE)], attempts.KeySchema.Select(k => (k.AttributeName, k.KeyType)));
        Assert.All(attempts.AttributeDefinitions, a => Assert.Equal(ScalarAttributeType.S, a.AttributeType));
        Assert.Equal(BillingMode.PAY_PER_REQUEST, attempts.BillingModeSummary?.BillingMode ?? BillingMode.PAY_PER_REQUEST);
        var ttl = (await aws.DynamoDb.DescribeTimeToLiveAsync(WebhookNames.AttemptsTable(definition))).TimeToLiveDescription;
        Assert.Equal("expiresAt", ttl.AttributeName);
        Assert.True(ttl.TimeToLiveStatus == TimeToLiveStatus.ENABLED || ttl.TimeToLiveStatus == TimeToLiveStatus.ENABLING, ttl.TimeToLiveStatus);
        var endpoints = (await aws.DynamoDb.DescribeTableAsync(WebhookNames.EndpointsTable(definition))).Table;
        Assert.Equal([("id", KeyType.HASH)], endpoints.KeySchema.Select(k => (k.AttributeName, k.KeyType)));
        var endpointsTtl = (await aws.DynamoDb.DescribeTimeToLiveAsync(WebhookNames.EndpointsTable(definition))).TimeToLiveDescription;
        Assert.Equal("expiresAt", endpointsTtl.AttributeName);

        // Idempotent: again, the same queues, still one subscription per webhook.
        var again = await aws.NewProvisioner().ProvisionAsync(definition, CancellationToken.None);
        Assert.Equal(resources.QueueUrls, again.QueueUrls);
        var afterwards = await aws.Sns.ListSubscriptionsByTopicAsync(new ListSubscriptionsByTopicRequest { TopicArn = resources.TopicArns[definition.Topics[0].Name] });
        Assert.Equal(2, afterwards.Subscriptions.Count);
    }

    [Fact]
    public async Task A_published_message_reaches_the_webhook_queues_raw_and_filtered_by_the_policy()
    {
        var definition = Definition();
        var resources = await aws.NewProvisioner().ProvisionAsync(definition, CancellationToken.None);
        var topicArn = resources.TopicArns[definition.Topics[0].Name];
        const string created = """{"specversion":"1.0","id":"e-1","type":"order.created","source":"shop","data":{"orderId":1}}""";
        const string cancelled = """{"specversion":"1.0","id":"e-2","type":"order.cancelled","source":"shop","data":{"orderId":1}}""";

        foreach (var (body, type) in new[] { (created, "order.created"), (cancelled, "order.cancelled") })
        {
            await aws.Sns.PublishAsync(new PublishRequest
            {
                TopicArn = topicArn,
                Message = body,
                MessageAttributes = new() { ["type"] = new MessageAttributeValue { DataType = "String", StringValue = type } },
            });
        }

        var filtered = await QueueReader.ReceiveAsync(aws.Sqs, resources.QueueUrls[WebhookNames.Queue(definition, "created")], 1, TimeSpan.FromSeconds(10));
        var all = await QueueReader.ReceiveAsync(aws.Sqs, resources.QueueUrls[WebhookNames.Queue(definition, "all")], 2, TimeSpan.FromSeconds(10));
        filtered.AddRange(await QueueReader.DrainAsync(aws.Sqs, resources.QueueUrls[WebhookNames.Queue(definition, "created")], TimeSpan.FromSeconds(2)));

        Assert.Equal([created], filtered.Select(m => m.Body)); // raw: the published body itself, no SNS envelope
        Assert.Equal("order.created", filtered[0].MessageAttributes["type"].StringValue);
        Assert.Equal(new[] { created, cancelled }.Order(StringComparer.Ordinal), all.Select(m => m.Body).Order(StringComparer.Ordinal));
    }

    private async Task<Subscription> SubscriptionToAsync(string topicArn, string queueArn)
    {
        var listed = await aws.Sns.ListSubscriptionsByTopicAsync(new ListSubscriptionsByTopicRequest { TopicArn = topicArn });
        return Assert.Single(listed.Subscriptions, s => s.Endpoint == queueArn && s.Protocol == "sqs");
    }

    /// <summary>A topic with two webhooks: one filtered on the <c>type</c> attribute, one taking everything.</summary>
    private static SystemDefinition Definition()
    {
        var name = "wh" + Guid.NewGuid().ToString("N")[..8];
        return SystemDefinitionLoader.Parse($$"""
            {
              "name": "{{name}}",
              "events": { "table": "{{name}}-events", "retentionDays": 7, "archiveBucket": "{{name}}-archive" },
              "deadLetterQueues": { "ingestion": "{{name}}-ingestion-dlq", "publish": "{{name}}-publish-dlq" },
              "topics": [ { "name": "{{name}}-orders" } ],
              "subscriptions": [
                { "topic": "{{name}}-orders", "protocol": "webhook", "id": "created", "endpoint": "https://example.com/hooks/created",
                  "filterPolicy": { "type": [ "order.created" ] } },
                { "topic": "{{name}}-orders", "protocol": "webhook", "id": "all", "endpoint": "http://localhost:5999/hooks" }
              ]
            }
            """);
    }
}
