using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.Extensions.Logging;
using Amazon.SimpleNotificationService;
using Amazon.SimpleNotificationService.Model;
using PubSub.Definition;

namespace PubSub.Provisioning;

/// <summary>Creates in an emulator (or any AWS endpoint) the resources a system definition declares:
/// the Events table with its stream and TTL, the dead-letter queues, the topics, the archive bucket
/// and the subscriptions. Every step is idempotent, so running it again changes nothing.</summary>
public sealed partial class LocalProvisioner(
    IAmazonDynamoDB dynamoDb,
    IAmazonSQS sqs,
    IAmazonS3 s3,
    IAmazonSimpleNotificationService sns,
    ILogger<LocalProvisioner> logger)
{
    private static readonly string FourteenDays = Seconds(WebhookQueues.Retention);

    public async Task<ProvisionedResources> ProvisionAsync(SystemDefinition definition, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        var streamArn = await EnsureTableAsync(definition.Events.Table, cancellationToken).ConfigureAwait(false);
        await EnsureBucketAsync(definition.Events.ArchiveBucket, cancellationToken).ConfigureAwait(false);

        var queueUrls = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var dlq in new[] { definition.DeadLetterQueues.Ingestion, definition.DeadLetterQueues.Publish })
        {
            queueUrls[dlq] = await EnsureQueueAsync(dlq, FourteenDays, cancellationToken).ConfigureAwait(false);
        }

        var topicArns = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var topic in definition.Topics)
        {
            topicArns[topic.Name] = await EnsureTopicAsync(topic, cancellationToken).ConfigureAwait(false);
        }

        var queueArns = await EnsureSubscriberQueuesAsync(definition, topicArns, queueUrls, cancellationToken).ConfigureAwait(false);
        foreach (var subscription in definition.Subscriptions)
        {
            // A webhook is not an SNS protocol: its topic delivers to its queue, which the delivery worker reads.
            var subscribed = subscription.IsWebhook
                ? await EnsureWebhookQueuesAsync(definition, subscription, topicArns, queueUrls, cancellationToken).ConfigureAwait(false)
                : subscription;
            await EnsureSubscriptionAsync(subscribed, topicArns[subscription.Topic], queueArns, cancellationToken)
                .ConfigureAwait(false);
        }

        if (definition.Subscriptions.Exists(s => s.IsWebhook))
        {
            await EnsureWebhookTablesAsync(definition, cancellationToken).ConfigureAwait(false);
        }

        var elapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        LogProvisioned(definition.Name, definition.Topics.Count, queueUrls.Count, definition.Subscriptions.Count, elapsedMs);
        return new ProvisionedResources(definition.Events.Table, streamArn, definition.Events.ArchiveBucket, topicArns, queueUrls);
    }

    private async Task<string> EnsureTableAsync(string table, CancellationToken cancellationToken)
    {
        var description = await EnsureTableAsync(new CreateTableRequest
        {
            TableName = table,
            AttributeDefinitions = [new AttributeDefinition(Events.EventItem.Key, ScalarAttributeType.S)],
            KeySchema = [new KeySchemaElement(Events.EventItem.Key, KeyType.HASH)],
            BillingMode = BillingMode.PAY_PER_REQUEST,
            StreamSpecification = new StreamSpecification { StreamEnabled = true, StreamViewType = StreamViewType.NEW_IMAGE },
        }, cancellationToken).ConfigureAwait(false);
        if (description.StreamSpecification?.StreamEnabled != true || description.LatestStreamArn is null)
        {
            throw new InvalidOperationException(
                $"Table {table} exists without a stream; delete it or enable a NEW_IMAGE stream on it.");
        }

        await EnsureTimeToLiveAsync(table, Events.EventItem.ExpiresAt, cancellationToken).ConfigureAwait(false);
        return description.LatestStreamArn;
    }

    /// <summary>Creates the table unless it exists (whatever its keys: a table is never replaced here), then waits for it.</summary>
    private async Task<TableDescription> EnsureTableAsync(CreateTableRequest request, CancellationToken cancellationToken)
    {
        try
        {
            await dynamoDb.CreateTableAsync(request, cancellationToken).ConfigureAwait(false);
            LogCreated("table", request.TableName);
        }
        catch (ResourceInUseException)
        {
            LogExists("table", request.TableName);
        }

        return await WaitForActiveTableAsync(request.TableName, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The webhook attempts table (one item per attempt, TTL <c>expiresAt</c>) and endpoints table (one item
    /// per subscription: enabled, circuit, failures; and one per ordered key, TTL <c>expiresAt</c>), with the keys of
    /// <see cref="WebhookTables"/>.</summary>
    private async Task EnsureWebhookTablesAsync(SystemDefinition definition, CancellationToken cancellationToken)
    {
        var attempts = WebhookNames.AttemptsTable(definition);
        await EnsureTableAsync(new CreateTableRequest
        {
            TableName = attempts,
            AttributeDefinitions =
            [
                new AttributeDefinition(WebhookTables.AttemptsPartitionKey, ScalarAttributeType.S),
                new AttributeDefinition(WebhookTables.AttemptsSortKey, ScalarAttributeType.S),
            ],
            KeySchema =
            [
                new KeySchemaElement(WebhookTables.AttemptsPartitionKey, KeyType.HASH),
                new KeySchemaElement(WebhookTables.AttemptsSortKey, KeyType.RANGE),
            ],
            BillingMode = BillingMode.PAY_PER_REQUEST,
        }, cancellationToken).ConfigureAwait(false);
        await EnsureTimeToLiveAsync(attempts, WebhookTables.ExpiresAt, cancellationToken).ConfigureAwait(false);

        var endpoints = WebhookNames.EndpointsTable(definition);
        await EnsureTableAsync(new CreateTableRequest
        {
            TableName = endpoints,
            AttributeDefinitions = [new AttributeDefinition(WebhookTables.EndpointsKey, ScalarAttributeType.S)],
            KeySchema = [new KeySchemaElement(WebhookTables.EndpointsKey, KeyType.HASH)],
            BillingMode = BillingMode.PAY_PER_REQUEST,
        }, cancellationToken).ConfigureAwait(false);
        // The ordered keys' items (ordering: partitionkey) expire; the circuits' items carry no expiresAt and stay.
        await EnsureTimeToLiveAsync(endpoints, WebhookTables.ExpiresAt, cancellationToken).ConfigureAwait(false);
    }

    private async Task<TableDescription> WaitForActiveTableAsync(string table, CancellationToken cancellationToken)
    {
        for (var attempt = 0; ; attempt++)
        {
            var table1 = (await dynamoDb.DescribeTableAsync(table, cancellationToken).ConfigureAwait(false)).Table;
            if (table1.TableStatus == TableStatus.ACTIVE || attempt >= 120)
            {
                return table1;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task EnsureTimeToLiveAsync(string table, string attribute, CancellationToken cancellationToken)
    {
        var current = await dynamoDb.DescribeTimeToLiveAsync(table, cancellationToken).ConfigureAwait(false);
        if (current.TimeToLiveDescription?.TimeToLiveStatus is { } status
            && (status == TimeToLiveStatus.ENABLED || status == TimeToLiveStatus.ENABLING))
        {
            return;
        }

        await dynamoDb.UpdateTimeToLiveAsync(new UpdateTimeToLiveRequest
        {
            TableName = table,
            TimeToLiveSpecification = new TimeToLiveSpecification { AttributeName = attribute, Enabled = true },
        }, cancellationToken).ConfigureAwait(false);
    }

    private async Task EnsureBucketAsync(string bucket, CancellationToken cancellationToken)
    {
        // CreateBucket answers 200 for a bucket one already owns (us-east-1, and the emulators): ask first, so that
        // the log does not say "Created" for a bucket that was there.
        if (await BucketExistsAsync(bucket, cancellationToken).ConfigureAwait(false))
        {
            LogExists("bucket", bucket);
            return;
        }

        try
        {
            await s3.PutBucketAsync(new PutBucketRequest { BucketName = bucket }, cancellationToken).ConfigureAwait(false);
            LogCreated("bucket", bucket);
        }
        catch (AmazonS3Exception e) when (e.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists"
                                          || e.StatusCode == HttpStatusCode.Conflict)
        {
            LogExists("bucket", bucket);
        }
    }

    private async Task<string> EnsureQueueAsync(string name, string? retentionSeconds, CancellationToken cancellationToken)
    {
        var attributes = new Dictionary<string, string>();
        if (retentionSeconds is not null)
        {
            attributes[QueueAttributeName.MessageRetentionPeriod] = retentionSeconds;
        }

        if (name.EndsWith(".fifo", StringComparison.Ordinal))
        {
            attributes[QueueAttributeName.FifoQueue] = "true";
        }

        var response = await sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = name, Attributes = attributes },
            cancellationToken).ConfigureAwait(false);
        LogEnsured("queue", name);
        return response.QueueUrl;
    }

    private async Task<string> EnsureTopicAsync(TopicDefinition topic, CancellationToken cancellationToken)
    {
        var attributes = new Dictionary<string, string>();
        if (topic.IsFifo)
        {
            attributes["FifoTopic"] = "true";
        }

        var response = await sns.CreateTopicAsync(new CreateTopicRequest { Name = topic.Name, Attributes = attributes },
            cancellationToken).ConfigureAwait(false);
        LogEnsured("topic", topic.Name);
        return response.TopicArn;
    }

    /// <summary>Creates the queues named by sqs subscriptions, each with a policy that lets exactly
    /// the topics subscribed to it send (AWS requires it; emulators ignore it).</summary>
    private async Task<Dictionary<string, string>> EnsureSubscriberQueuesAsync(SystemDefinition definition,
        Dictionary<string, string> topicArns, Dictionary<string, string> queueUrls, CancellationToken cancellationToken)
    {
        var queueArns = new Dictionary<string, string>(StringComparer.Ordinal);
        var byQueue = definition.Subscriptions
            .Where(s => s.Protocol == "sqs" && !s.Endpoint.StartsWith("arn:", StringComparison.Ordinal))
            .GroupBy(s => s.Endpoint, StringComparer.Ordinal);
        foreach (var queue in byQueue)
        {
            var queueUrl = await EnsureQueueAsync(queue.Key, null, cancellationToken).ConfigureAwait(false);
            queueUrls[queue.Key] = queueUrl;
            var queueArn = await QueueArnAsync(queueUrl, cancellationToken).ConfigureAwait(false);
            queueArns[queue.Key] = queueArn;
            var sources = queue.Select(s => topicArns[s.Topic]).Distinct(StringComparer.Ordinal).ToList();
            var policy = JsonSerializer.Serialize(QueuePolicy.AllowTopics(queueArn, sources),
                QueuePolicyJsonContext.Default.QueuePolicyDocument);
            await sqs.SetQueueAttributesAsync(queueUrl, new Dictionary<string, string> { [QueueAttributeName.Policy] = policy },
                cancellationToken).ConfigureAwait(false);
        }

        return queueArns;
    }

    /// <summary>A webhook subscription's DLQ and queue: the queue hides a received message long enough for an attempt
    /// (<see cref="WebhookQueues.VisibilityTimeout"/>), keeps it 14 days, and sends it to the DLQ after
    /// <see cref="WebhookQueues.MaxReceiveCount"/> receives (a safety net: the worker counts attempts itself); its policy
    /// lets the topic send. Returns the SNS subscription to make: sqs to the queue, raw (the event is what is signed),
    /// with the webhook's filter policy.</summary>
    private async Task<SubscriptionDefinition> EnsureWebhookQueuesAsync(SystemDefinition definition, SubscriptionDefinition webhook,
        Dictionary<string, string> topicArns, Dictionary<string, string> queueUrls, CancellationToken cancellationToken)
    {
        var retention = Seconds(WebhookQueues.Retention);
        var dlq = WebhookNames.DeadLetterQueue(definition, webhook.Id!);
        queueUrls[dlq] = await EnsureQueueAsync(dlq, retention, cancellationToken).ConfigureAwait(false);
        var dlqArn = await QueueArnAsync(queueUrls[dlq], cancellationToken).ConfigureAwait(false);

        var queue = WebhookNames.Queue(definition, webhook.Id!);
        var queueUrl = queueUrls[queue] = await EnsureQueueAsync(queue, retention, cancellationToken).ConfigureAwait(false);
        var queueArn = await QueueArnAsync(queueUrl, cancellationToken).ConfigureAwait(false);
        var redrive = JsonSerializer.Serialize(new RedrivePolicy(dlqArn, WebhookQueues.MaxReceiveCount), QueuePolicyJsonContext.Default.RedrivePolicy);
        var policy = JsonSerializer.Serialize(QueuePolicy.AllowTopics(queueArn, [topicArns[webhook.Topic]]),
            QueuePolicyJsonContext.Default.QueuePolicyDocument);

        // Set on every run, not only at creation: CreateQueue refuses an existing queue whose attributes differ.
        await sqs.SetQueueAttributesAsync(queueUrl, new Dictionary<string, string>
        {
            [QueueAttributeName.VisibilityTimeout] = Seconds(WebhookQueues.VisibilityTimeout),
            [QueueAttributeName.RedrivePolicy] = redrive,
            [QueueAttributeName.Policy] = policy,
        }, cancellationToken).ConfigureAwait(false);
        return webhook with { Protocol = "sqs", Endpoint = queueArn, RawMessageDelivery = true };
    }

    private static string Seconds(TimeSpan span) => ((long)span.TotalSeconds).ToString(CultureInfo.InvariantCulture);

    private async Task EnsureSubscriptionAsync(SubscriptionDefinition subscription, string topicArn,
        Dictionary<string, string> queueArns, CancellationToken cancellationToken)
    {
        var endpoint = queueArns.GetValueOrDefault(subscription.Endpoint, subscription.Endpoint);
        var attributes = new Dictionary<string, string>();
        if (subscription.RawMessageDelivery)
        {
            attributes["RawMessageDelivery"] = "true";
        }

        if (subscription.FilterPolicy is { } policy)
        {
            attributes["FilterPolicy"] = policy.GetRawText();
            attributes["FilterPolicyScope"] = subscription.FilterPolicyScope ?? "MessageAttributes";
        }

        // Subscribe is idempotent for the same topic, protocol, endpoint and attributes.
        await sns.SubscribeAsync(new SubscribeRequest
        {
            TopicArn = topicArn,
            Protocol = subscription.Protocol,
            Endpoint = endpoint,
            Attributes = attributes,
            ReturnSubscriptionArn = true,
        }, cancellationToken).ConfigureAwait(false);
        LogSubscribed(subscription.Topic, subscription.Protocol, subscription.Endpoint);
    }

    private async Task<bool> BucketExistsAsync(string bucket, CancellationToken cancellationToken)
    {
        try
        {
            await s3.HeadBucketAsync(new HeadBucketRequest { BucketName = bucket }, cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.Forbidden)
        {
            // 403: another account's bucket, or a role without s3:ListBucket. CreateBucket's own answer
            // (BucketAlreadyOwnedByYou, BucketAlreadyExists) then says which, with the bucket's name.
            return false;
        }
    }

    private async Task<string> QueueArnAsync(string queueUrl, CancellationToken cancellationToken)
    {
        var attributes = await sqs.GetQueueAttributesAsync(queueUrl, [QueueAttributeName.QueueArn], cancellationToken)
            .ConfigureAwait(false);
        return attributes.QueueARN;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created {Kind} {Name}")]
    private partial void LogCreated(string kind, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Kind} {Name} already exists")]
    private partial void LogExists(string kind, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "Ensured {Kind} {Name}")]
    private partial void LogEnsured(string kind, string name);

    [LoggerMessage(Level = LogLevel.Information, Message = "Subscribed {Protocol}:{Endpoint} to topic {Topic}")]
    private partial void LogSubscribed(string topic, string protocol, string endpoint);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Provisioned system {System}: {Topics} topics, {Queues} queues, {Subscriptions} subscriptions in {ElapsedMs:F0} ms")]
    private partial void LogProvisioned(string system, int topics, int queues, int subscriptions, double elapsedMs);
}
