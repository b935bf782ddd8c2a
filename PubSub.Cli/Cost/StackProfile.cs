namespace PubSub.Cli.Cost;

/// <summary>What the deployed stack does per event, as the estimate assumes it: figures read from the generated
/// template (cloudformation/pubsub.template.json) and the code, and the durations and log sizes that no account here
/// could measure. docs/cost.md explains each; change them here when the stack changes.</summary>
internal static class StackProfile
{
    /// <summary>30 days: the month of the estimate (AWS's calculator uses 730 hours; 30 days keeps the arithmetic plain).</summary>
    public const double SecondsPerMonth = 30 * 86_400;

    public const double BytesPerGb = 1024d * 1024 * 1024;

    // Template: both functions.
    public const int DefaultMemoryMb = 256;

    // Template: the stream's event source mapping (StreamBatchSize, StreamBatchWindowSeconds defaults).
    public const int StreamBatchSize = 100;
    public const double StreamBatchWindowSeconds = 1;

    // Code: the API's batch limits (docs/publishing.md) and the ingestion's parallel writes (EventIngestor.BatchParallelism).
    public const int MaxBatchSize = 100;
    public const int MaxRequestBytes = 1024 * 1024;
    public const int IngestionParallelWrites = 16;

    // Code: SNS PublishBatch (TopicPublisher): 10 entries and 256 KiB per call; SNS and SQS bill each 64 KB.
    public const int SnsEntriesPerCall = 10;
    public const int SnsMaxBytes = 256 * 1024;
    public const int BillingChunkBytes = 64 * 1024;
    public const int SqsMessagesPerCall = 10;

    /// <summary>An event's DynamoDB item is its data plus these bytes at most (key, id, publisher, type, source, times,
    /// region, TTL, trace context, fingerprint: the attribute names and values of EventItem); a unit test keeps it true.</summary>
    public const int ItemOverheadBytes = 576;

    /// <summary>DynamoDB bills storage with 100 bytes of overhead per item.</summary>
    public const int DynamoDbStoredItemOverheadBytes = 100;

    /// <summary>An event's CloudEvent JSON (archive line, SNS body) is its data plus these bytes at most; SNS adds the
    /// message attributes (<see cref="SnsAttributeBytes"/>). Unit tests keep both true.</summary>
    public const int EventJsonOverheadBytes = 384;
    public const int SnsAttributeBytes = 320;

    // Template: events.retentionDays (the table's TTL), ArchiveRetentionDays, the lifecycle and noncurrent expiry.
    public const double TableRetentionDays = 30;
    public const double ArchiveRetentionDays = 365;
    public const double ArchiveToStandardIaDays = 30;
    public const double ArchiveToGlacierIrDays = 90;
    public const double ArchiveNoncurrentDays = 30;

    /// <summary>S3 (since September 2024) does not move objects under 128 KiB to other classes by default.</summary>
    public const int S3MinimumTransitionBytes = 128 * 1024;

    // Durations: measured locally (docs/performance.md: an ingestion invocation p50 5.9 ms, a stream batch of 10 5.5 ms,
    // against local emulators); in AWS one in-region call is assumed to take 10 ms, which dominates.
    public const double AwsCallMs = 10;
    public const double S3PutMs = 20;

    // Logs: the platform's JSON start and report lines per invocation (~600 bytes) plus one EMF line (~600 bytes);
    // the API's access-log line (its format in the template) ~400 bytes. Kept as long as LogRetentionDays (30).
    public const int LogBytesPerInvocation = 1200;
    public const int AccessLogBytesPerRequest = 400;

    // Alarms: 9 fixed (DLQs, function errors and throttles, iterator age, API 5xx), the sensitive-findings alarm of the
    // one publisher the workload assumes, and one per subscription's dead-letter queue.
    public const int FixedAlarms = 10;

    // EMF custom metrics that hold data in a steady month (one publisher, topic and route; every event accepted and
    // published; EmbeddedMetricCatalog's dimension sets): ingestion events x 3 ([publisher, outcome], [publisher],
    // [outcome]; refusals carry a reason and appear only when they happen), ingestion duration x 2, ingestion batch
    // size x 2, records 1, routed 1, messages 2, publish duration 1, lag 1, stream batch size 1. A metric that gets no
    // data in an hour is not billed for it, so sensitive findings and dead letters cost only when they happen.
    public const int CustomMetrics = 14;

    // The stack's one dashboard.
    public const int Dashboards = 1;

    /// <summary>X-Ray's default sampling rule: the first request each second, then 5 % (API stage and functions: Active).</summary>
    public const double XRayReservoirPerSecond = 1, XRayRate = 0.05;

    // KMS: one customer-managed key. SQS reuses a data key for 300 s (KmsDataKeyReusePeriodSeconds) per principal: SNS
    // (producer) and the subscriber (consumer) each call KMS once per period per queue; the topic and the bucket key are
    // assumed to do the same (AWS documents no period for them).
    public const double KmsDataKeyReuseSeconds = 300;

    // Webhook delivery (template: StackTemplate.Webhooks; code: PubSub.Webhooks.Core). The mapping hands the function
    // batches of WebhookQueues.BatchSize; a retried message comes back alone (after a ChangeMessageVisibility). One
    // attempt makes these AWS calls in turn: the attempts table's Query for the latest attempt (a consistent read, 1
    // RRU), the endpoint's state read twice (circuit admission and the attempt's count: 1 RRU each), the attempt's
    // PutItem (an item under 1 KB: 1 WRU), and after a failure the endpoint's UpdateItem (1 WRU); a success with no
    // failures before leaves the endpoint's item as it was.
    public const int WebhookBatchSize = PubSub.Definition.WebhookQueues.BatchSize;
    public const int WebhookMemoryMb = 256;
    public const int WebhookMaxAttempts = 10;
    public const int WebhookReadsPerAttempt = 3;
    public const int WebhookAwsCallsPerAttempt = 4;
    public const int WebhookAttemptItemBytes = 600;

    /// <summary>How long a receiver takes to answer: not measured here (it is the receiver's); the batch's messages go
    /// concurrently, so an invocation lasts about one answer plus its AWS calls.</summary>
    public const double WebhookReceiverMs = 100;

    /// <summary>The function's mapping long-polls each queue even when it is empty: 5 pollers at first (Lambda's SQS
    /// scaling), a 20 s ReceiveMessage each: 648,000 requests a month per queue.</summary>
    public const double WebhookIdleReceivesPerQueue = 5 * SecondsPerMonth / 20;

    /// <summary>Each warm instance reads each subscription's secret (SSM GetParameter with decryption: one KMS Decrypt)
    /// at its first delivery and again every SsmWebhookSecretSource.DefaultCacheFor (5 min).</summary>
    public const double WebhookSecretCacheSeconds = 300;

    // EMF metrics with data in a steady month per the catalog: attempts [outcome] once, and per subscription attempts
    // [subscription, outcome], duration [subscription], delivered [subscription], plus delivered [] once.
    public const int WebhookCustomMetricsFixed = 2, WebhookCustomMetricsPerSubscription = 3;
}
