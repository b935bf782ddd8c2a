using System.Diagnostics;
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
    private const string FourteenDays = "1209600";

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
            await EnsureSubscriptionAsync(subscription, topicArns[subscription.Topic], queueArns, cancellationToken)
                .ConfigureAwait(false);
        }

        var elapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        LogProvisioned(definition.Name, definition.Topics.Count, queueUrls.Count, definition.Subscriptions.Count, elapsedMs);
        return new ProvisionedResources(definition.Events.Table, streamArn, definition.Events.ArchiveBucket, topicArns, queueUrls);
    }

    private async Task<string> EnsureTableAsync(string table, CancellationToken cancellationToken)
    {
        try
        {
            await dynamoDb.CreateTableAsync(new CreateTableRequest
            {
                TableName = table,
                AttributeDefinitions = [new AttributeDefinition(Events.EventItem.Key, ScalarAttributeType.S)],
                KeySchema = [new KeySchemaElement(Events.EventItem.Key, KeyType.HASH)],
                BillingMode = BillingMode.PAY_PER_REQUEST,
                StreamSpecification = new StreamSpecification { StreamEnabled = true, StreamViewType = StreamViewType.NEW_IMAGE },
            }, cancellationToken).ConfigureAwait(false);
            LogCreated("table", table);
        }
        catch (ResourceInUseException)
        {
            LogExists("table", table);
        }

        var description = await WaitForActiveTableAsync(table, cancellationToken).ConfigureAwait(false);
        if (description.StreamSpecification?.StreamEnabled != true || description.LatestStreamArn is null)
        {
            throw new InvalidOperationException(
                $"Table {table} exists without a stream; delete it or enable a NEW_IMAGE stream on it.");
        }

        await EnsureTimeToLiveAsync(table, cancellationToken).ConfigureAwait(false);
        return description.LatestStreamArn;
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

    private async Task EnsureTimeToLiveAsync(string table, CancellationToken cancellationToken)
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
            TimeToLiveSpecification = new TimeToLiveSpecification { AttributeName = Events.EventItem.ExpiresAt, Enabled = true },
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
