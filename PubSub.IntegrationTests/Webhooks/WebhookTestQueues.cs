using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.SQS;
using Amazon.SQS.Model;
using System.Text;
using System.Text.Json.Nodes;
using PubSub.Definition;
using PubSub.IntegrationTests.Infrastructure;

namespace PubSub.IntegrationTests.Webhooks;

/// <summary>What a webhook subscription needs on the emulators, made by the test itself (the provisioner's share is
/// another branch's): its queue and dead-letter queue, and the attempts and endpoints tables with the keys the core
/// uses. A queued event is put on the queue as the stream publisher's raw SNS delivery puts it.</summary>
internal static class WebhookTestQueues
{
    public sealed record Queue(string Url, string Arn, string DeadLetterUrl);

    public static async Task<Queue> EnsureAsync(AwsEmulatorsFixture aws, SystemDefinition definition, string subscriptionId)
    {
        await EnsureTableAsync(aws.DynamoDb, WebhookNames.AttemptsTable(definition), ("pk", KeyType.HASH), ("sk", KeyType.RANGE));
        await EnsureTableAsync(aws.DynamoDb, WebhookNames.EndpointsTable(definition), ("id", KeyType.HASH));
        var deadLetters = (await aws.Sqs.CreateQueueAsync(WebhookNames.DeadLetterQueue(definition, subscriptionId))).QueueUrl;
        var url = (await aws.Sqs.CreateQueueAsync(WebhookNames.Queue(definition, subscriptionId))).QueueUrl;
        var arn = (await aws.Sqs.GetQueueAttributesAsync(url, ["QueueArn"])).QueueARN;
        return new Queue(url, arn, deadLetters);
    }

    /// <summary>An <c>order.created</c> CloudEvent of the <c>demo</c> publisher, as the orders topic delivers it raw.</summary>
    public static Task SendEventAsync(IAmazonSQS sqs, string queueUrl, string eventId) =>
        sqs.SendMessageAsync(new SendMessageRequest
        {
            QueueUrl = queueUrl,
            MessageBody = $$$"""{"specversion":"1.0","id":"{{{eventId}}}","source":"it","type":"order.created","publisher":"demo","datacontenttype":"application/json","data":{"orderId":7}}""",
            MessageAttributes = new Dictionary<string, MessageAttributeValue>
            {
                ["id"] = new() { DataType = "String", StringValue = eventId },
                ["publisher"] = new() { DataType = "String", StringValue = "demo" },
                ["type"] = new() { DataType = "String", StringValue = "order.created" },
            },
        });

    /// <summary>The queue's messages as an event source mapping hands them to the function: received (so that the
    /// receipt handles are real), in Lambda's SQS event shape: one for each of
    /// <paramref name="eventIds"/> (the queue may hold other tests' events: the orders topic delivers to it).</summary>
    public static async Task<byte[]> ReceiveAsSqsEventAsync(IAmazonSQS sqs, Queue queue, params string[] eventIds)
    {
        var count = eventIds.Length;
        var messages = new List<Message>();
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (messages.Count < count)
        {
            var received = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest
            {
                QueueUrl = queue.Url,
                MaxNumberOfMessages = 10,
                WaitTimeSeconds = 1,
                VisibilityTimeout = 120,
                MessageSystemAttributeNames = ["All"],
                MessageAttributeNames = ["All"],
            }, deadline.Token);
            messages.AddRange((received.Messages ?? []).Where(m => eventIds.Any(id => m.Body.Contains(id, StringComparison.Ordinal))));
        }

        var records = messages.Select(m => new JsonObject
        {
            ["messageId"] = m.MessageId,
            ["receiptHandle"] = m.ReceiptHandle,
            ["body"] = m.Body,
            ["attributes"] = new JsonObject([.. (m.Attributes ?? []).Select(a => KeyValuePair.Create(a.Key, (JsonNode?)a.Value))]),
            ["messageAttributes"] = new JsonObject([.. (m.MessageAttributes ?? []).Select(a => KeyValuePair.Create(a.Key,
                (JsonNode?)new JsonObject { ["stringValue"] = a.Value.StringValue, ["dataType"] = a.Value.DataType }))]),
            ["eventSource"] = "aws:sqs",
            ["eventSourceARN"] = queue.Arn,
            ["awsRegion"] = "us-east-1",
        });
        return Encoding.UTF8.GetBytes(new JsonObject { ["Records"] = new JsonArray([.. records]) }.ToJsonString());
    }

    private static async Task EnsureTableAsync(IAmazonDynamoDB dynamoDb, string table, params (string Name, KeyType Type)[] keys)
    {
        try
        {
            await dynamoDb.CreateTableAsync(new CreateTableRequest
            {
                TableName = table,
                BillingMode = BillingMode.PAY_PER_REQUEST,
                AttributeDefinitions = [.. keys.Select(k => new AttributeDefinition(k.Name, ScalarAttributeType.S))],
                KeySchema = [.. keys.Select(k => new KeySchemaElement(k.Name, k.Type))],
            });
        }
        catch (ResourceInUseException)
        {
            // Made by an earlier test of this run (or the provisioner): the same keys.
        }
    }
}
