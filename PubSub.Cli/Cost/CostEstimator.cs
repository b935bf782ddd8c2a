using System.Globalization;

namespace PubSub.Cli.Cost;

/// <summary>Estimates a month of this stack for a steady workload, service by service, from the
/// <see cref="StackProfile"/> (what the stack does per event) and a <see cref="PriceList"/>; pure arithmetic, so
/// tests can check it against sums done by hand. Beside it: the same events put on an EventBridge bus with one rule
/// per subscriber's queue.</summary>
internal static class CostEstimator
{
    public static CostEstimate Estimate(Workload w)
    {
        if (w.Problem() is { } problem)
        {
            throw new ArgumentException(problem, nameof(w));
        }

        var p = PriceList.ByRegion[w.Region];
        var events = w.EventsPerSecond * StackProfile.SecondsPerMonth;
        var requests = events / w.BatchSize;
        var eventJsonBytes = w.PayloadBytes + StackProfile.EventJsonOverheadBytes;
        var snsMessageBytes = eventJsonBytes + StackProfile.SnsAttributeBytes;
        var itemBytes = w.PayloadBytes + StackProfile.ItemOverheadBytes;

        // The stream publisher: batches of up to StreamBatchSize, or what one batching window gathers.
        var recordsPerBatch = Math.Clamp(w.EventsPerSecond * StackProfile.StreamBatchWindowSeconds, 1, StackProfile.StreamBatchSize);
        var streamInvocations = events / recordsPerBatch;
        var entriesPerCall = Math.Min(StackProfile.SnsEntriesPerCall, StackProfile.SnsMaxBytes / snsMessageBytes);
        var publishCallsPerBatch = Math.Ceiling(recordsPerBatch / entriesPerCall);
        var chunksPerCall = Math.Ceiling(recordsPerBatch / publishCallsPerBatch * snsMessageBytes / StackProfile.BillingChunkBytes);
        var archiveObjectBytes = recordsPerBatch * (eventJsonBytes + 1);

        var stack = new List<CostLine>
        {
            new("API Gateway (REST)", $"{Count(requests)} requests", PriceList.Tiered(p.ApiGatewayRestRequests, requests)),
            Lambda(p, w, "Lambda ingestion", requests, StackProfile.AwsCallMs * Math.Ceiling((double)w.BatchSize / StackProfile.IngestionParallelWrites)),
            Lambda(p, w, "Lambda stream publisher", streamInvocations,
                StackProfile.AwsCallMs * (1 + publishCallsPerBatch) + StackProfile.S3PutMs),
            DynamoDbWrites(p, events, itemBytes),
            DynamoDbStorage(p, w, itemBytes),
            new("DynamoDB Streams", $"{Count(streamInvocations)} reads by the Lambda trigger", 0),
            Sns(p, w, streamInvocations * publishCallsPerBatch * chunksPerCall, events),
            Sqs(p, w, events, snsMessageBytes),
            ArchiveRequests(p, streamInvocations, archiveObjectBytes),
            ArchiveStorage(p, events * (eventJsonBytes + 1), archiveObjectBytes),
            Kms(p, w),
            CloudWatch(p, w, requests + streamInvocations, requests),
            XRay(p, w.EventsPerSecond / w.BatchSize, streamInvocations / StackProfile.SecondsPerMonth),
            Macie(p, events * (eventJsonBytes + 1)),
        };
        if (w.Webhooks > 0)
        {
            stack.AddRange(Webhooks(p, w, events, snsMessageBytes));
        }

        return new CostEstimate(w, events, stack, EventBridge(p, w, events, eventJsonBytes),
            Assumptions(w, recordsPerBatch, itemBytes, archiveObjectBytes), p.Region, p.CheckedOn, p.Rows());
    }

    private static CostLine Lambda(PriceList p, Workload w, string name, double invocations, double milliseconds)
    {
        var gbSeconds = invocations * milliseconds / 1000 * w.MemoryMb / 1024;
        var gbSecond = w.Architecture == "arm64" ? p.LambdaGbSecondArm : p.LambdaGbSecondX86;
        return new(name, $"{Count(invocations)} invocations x {Num(milliseconds)} ms, {w.MemoryMb} MB {w.Architecture}",
            invocations * p.LambdaRequest.Usd + gbSeconds * gbSecond.Usd);
    }

    /// <summary>A conditional PutItem per event: 1 write request unit per KB of item, rounded up.</summary>
    private static CostLine DynamoDbWrites(PriceList p, double events, int itemBytes)
    {
        var units = Math.Ceiling(itemBytes / 1024d);
        return new("DynamoDB writes", $"{Count(events)} PutItem x {units} WRU ({itemBytes} B items)", events * units * p.DynamoDbWriteRequestUnit.Usd);
    }

    /// <summary>The table keeps each event for its TTL (30 days: one month of events); PITR bills the same size.</summary>
    private static CostLine DynamoDbStorage(PriceList p, Workload w, int itemBytes)
    {
        var gb = w.EventsPerSecond * StackProfile.TableRetentionDays * 86_400 * (itemBytes + StackProfile.DynamoDbStoredItemOverheadBytes)
                 / StackProfile.BytesPerGb;
        return new("DynamoDB storage + PITR", $"{Num(gb)} GB", gb * (p.DynamoDbStorageGbMonth.Usd + p.DynamoDbPitrGbMonth.Usd));
    }

    private static CostLine Sns(PriceList p, Workload w, double billedRequests, double events) =>
        new("SNS", $"{Count(billedRequests)} PublishBatch requests; {Count(events * w.Subscribers)} deliveries to SQS (free)",
            billedRequests * p.SnsPublishRequest.Usd + events * w.Subscribers * p.SnsDeliveryToSqs.Usd);

    /// <summary>Each subscriber receives 10 messages per ReceiveMessage (billed per 64 KB of the answer) and deletes
    /// them with one DeleteMessageBatch.</summary>
    private static CostLine Sqs(PriceList p, Workload w, double events, int messageBytes)
    {
        var calls = events / StackProfile.SqsMessagesPerCall;
        var perSubscriber = calls * (Math.Ceiling((double)StackProfile.SqsMessagesPerCall * messageBytes / StackProfile.BillingChunkBytes) + 1);
        return new("SQS (subscribers' reads)", $"{Count(perSubscriber * w.Subscribers)} requests, {w.Subscribers} subscriber(s)",
            perSubscriber * w.Subscribers * p.SqsRequest.Usd);
    }

    /// <summary>One archive object per stream batch (one publisher), and its lifecycle transitions when S3 moves it.</summary>
    private static CostLine ArchiveRequests(PriceList p, double objects, double objectBytes)
    {
        var transitions = objectBytes >= StackProfile.S3MinimumTransitionBytes
            ? p.S3TransitionToStandardIa.Usd + p.S3TransitionToGlacierIr.Usd
            : 0;
        return new("S3 archive requests", $"{Count(objects)} PUTs of {Num(objectBytes / 1024)} KiB" + (transitions > 0 ? " + 2 transitions each" : ""),
            objects * (p.S3PutRequest.Usd + transitions));
    }

    /// <summary>Steady state once the archive is a year old: each month's bytes sit 30 days in Standard, 60 in Standard-IA
    /// and the rest of the retention plus the 30 noncurrent days in Glacier IR; objects under 128 KiB stay in Standard.</summary>
    private static CostLine ArchiveStorage(PriceList p, double bytesPerMonth, double objectBytes)
    {
        var gb = bytesPerMonth / StackProfile.BytesPerGb;
        var lifetimeMonths = (StackProfile.ArchiveRetentionDays + StackProfile.ArchiveNoncurrentDays) / 30;
        if (objectBytes < StackProfile.S3MinimumTransitionBytes)
        {
            return new("S3 archive storage", $"{Num(gb * lifetimeMonths)} GB in Standard", gb * lifetimeMonths * p.S3StandardGbMonth.Usd);
        }

        var standard = StackProfile.ArchiveToStandardIaDays / 30;
        var ia = (StackProfile.ArchiveToGlacierIrDays - StackProfile.ArchiveToStandardIaDays) / 30;
        var glacier = lifetimeMonths - standard - ia;
        return new("S3 archive storage", $"{Num(gb * lifetimeMonths)} GB ({Num(gb * standard)} Standard, {Num(gb * ia)} IA, {Num(gb * glacier)} Glacier IR)",
            gb * (standard * p.S3StandardGbMonth.Usd + ia * p.S3StandardIaGbMonth.Usd + glacier * p.S3GlacierIrGbMonth.Usd));
    }

    private static CostLine Kms(PriceList p, Workload w)
    {
        var periods = StackProfile.SecondsPerMonth / StackProfile.KmsDataKeyReuseSeconds;
        var requests = (2 * w.Subscribers + 2) * periods;
        return new("KMS", $"1 key, {Count(requests)} requests", p.KmsKeyMonth.Usd + requests * p.KmsRequest.Usd);
    }

    private static CostLine CloudWatch(PriceList p, Workload w, double invocations, double apiRequests)
    {
        var gb = (invocations * StackProfile.LogBytesPerInvocation + apiRequests * StackProfile.AccessLogBytesPerRequest) / StackProfile.BytesPerGb;
        var alarms = StackProfile.FixedAlarms + w.Subscribers;
        return new("CloudWatch", $"{Num(gb)} GB logs, {alarms} alarms, {StackProfile.CustomMetrics} custom metrics, {StackProfile.Dashboards} dashboards",
            gb * (p.CloudWatchLogsIngestedGb.Usd + p.CloudWatchLogsStoredGbMonth.Usd) + alarms * p.CloudWatchAlarmMonth.Usd
            + StackProfile.CustomMetrics * p.CloudWatchCustomMetricMonth.Usd + StackProfile.Dashboards * p.CloudWatchDashboardMonth.Usd);
    }

    /// <summary>Traces the default rule records: the API's requests and the stream publisher's invocations.</summary>
    private static CostLine XRay(PriceList p, double apiPerSecond, double streamPerSecond)
    {
        var traces = (Sampled(apiPerSecond) + Sampled(streamPerSecond)) * StackProfile.SecondsPerMonth;
        return new("X-Ray", $"{Count(traces)} traces", traces * p.XRayTraceRecorded.Usd);

        static double Sampled(double perSecond) => Math.Min(perSecond, StackProfile.XRayReservoirPerSecond)
                                                   + StackProfile.XRayRate * Math.Max(0, perSecond - StackProfile.XRayReservoirPerSecond);
    }

    /// <summary>Bucket monitoring for the archive, and the daily job reading each day's new objects.</summary>
    private static CostLine Macie(PriceList p, double bytesPerMonth)
    {
        var gb = bytesPerMonth / StackProfile.BytesPerGb;
        return new("Macie", $"{Num(gb)} GB inspected, 1 bucket", p.MacieBucketMonth.Usd + gb * p.MacieGbInspected.Usd);
    }

    /// <summary>Webhook delivery (<see cref="StackProfile"/> has what one attempt costs): every event goes to each webhook
    /// subscription's queue; the function takes batches, a retried message comes back alone. Every delivery ends delivered
    /// after <see cref="Workload.WebhookAttempts"/> attempts on average.</summary>
    private static IEnumerable<CostLine> Webhooks(PriceList p, Workload w, double events, int messageBytes)
    {
        var deliveries = events * w.Webhooks;
        var attempts = deliveries * w.WebhookAttempts;
        var retries = attempts - deliveries;
        var batches = deliveries / StackProfile.WebhookBatchSize;

        // SQS: a receive per batch (billed per 64 KB of the answer) and the mapping's delete per batch; per retry, the
        // core's ChangeMessageVisibility and a receive of the message alone; and the mapping's polling of each queue.
        var receivedChunks = Math.Ceiling((double)StackProfile.WebhookBatchSize * messageBytes / StackProfile.BillingChunkBytes);
        var sqsRequests = batches * (receivedChunks + 1) + retries * 2 + StackProfile.WebhookIdleReceivesPerQueue * w.Webhooks;
        var invocations = batches + retries;
        var milliseconds = StackProfile.WebhookAwsCallsPerAttempt * StackProfile.AwsCallMs + StackProfile.WebhookReceiverMs;
        var lambda = Lambda(p, w with { MemoryMb = StackProfile.WebhookMemoryMb }, "Lambda webhook delivery", invocations, milliseconds);

        var writes = attempts + retries; // each attempt's item, and the endpoint's count after each failure
        var reads = attempts * StackProfile.WebhookReadsPerAttempt;
        var storedGb = attempts / StackProfile.SecondsPerMonth * StackProfile.TableRetentionDays * 86_400
                       * (StackProfile.WebhookAttemptItemBytes + StackProfile.DynamoDbStoredItemOverheadBytes) / StackProfile.BytesPerGb;

        // Warm instances: the invocations running at once on average (at least one per subscription with traffic).
        var instances = Math.Max(w.Webhooks, Math.Ceiling(invocations / StackProfile.SecondsPerMonth * milliseconds / 1000));
        var secretReads = instances * w.Webhooks * StackProfile.SecondsPerMonth / StackProfile.WebhookSecretCacheSeconds;
        var queueKeyRequests = 2 * w.Webhooks * StackProfile.SecondsPerMonth / StackProfile.KmsDataKeyReuseSeconds; // SNS in, the function out

        var metrics = StackProfile.WebhookCustomMetricsFixed + StackProfile.WebhookCustomMetricsPerSubscription * w.Webhooks;
        var logGb = invocations * StackProfile.LogBytesPerInvocation / StackProfile.BytesPerGb;
        return
        [
            lambda,
            new("SQS (webhook queues)", $"{Count(sqsRequests)} requests: {Count(deliveries)} deliveries, {Count(retries)} retries, polling {w.Webhooks} queue(s)",
                sqsRequests * p.SqsRequest.Usd),
            new("DynamoDB (webhook attempts)", $"{Count(writes)} WRU, {Count(reads)} RRU, {Num(storedGb)} GB of attempts",
                writes * p.DynamoDbWriteRequestUnit.Usd + reads * p.DynamoDbReadRequestUnit.Usd
                + storedGb * (p.DynamoDbStorageGbMonth.Usd + p.DynamoDbPitrGbMonth.Usd)),
            new("SSM + KMS (webhook secrets, queues)", $"{Count(secretReads)} GetParameter + Decrypt, {Count(queueKeyRequests)} queue data keys",
                secretReads * (p.SsmStandardParameterRead.Usd + p.KmsRequest.Usd) + queueKeyRequests * p.KmsRequest.Usd),
            new("CloudWatch (webhooks)", $"{Num(logGb)} GB logs, {w.Webhooks} DLQ alarms, {metrics} custom metrics",
                logGb * (p.CloudWatchLogsIngestedGb.Usd + p.CloudWatchLogsStoredGbMonth.Usd) + w.Webhooks * p.CloudWatchAlarmMonth.Usd
                + metrics * p.CloudWatchCustomMetricMonth.Usd),
        ];
    }

    /// <summary>The same events on EventBridge: publishers call PutEvents (billed per event, per 64 KB), a rule per
    /// subscriber delivers to its queue (free), and the subscribers read as above.</summary>
    private static IReadOnlyList<CostLine> EventBridge(PriceList p, Workload w, double events, int eventBytes)
    {
        var billed = events * Math.Ceiling((double)eventBytes / StackProfile.BillingChunkBytes);
        return
        [
            new("EventBridge PutEvents", $"{Count(billed)} events", billed * p.EventBridgeCustomEvent.Usd),
            new("EventBridge rules to SQS", $"{Count(events * w.Subscribers)} deliveries (free)", events * w.Subscribers * p.EventBridgeDeliveryToSqs.Usd),
            Sqs(p, w, events, eventBytes),
        ];
    }

    private static IReadOnlyList<string> Assumptions(Workload w, double recordsPerBatch, int itemBytes, double archiveObjectBytes) =>
    [
        "Month = 30 days; on-demand list prices; free tiers excluded; data transfer excluded (in-region, small responses).",
        $"{Num(w.EventsPerSecond)} events/s of {Num(w.PayloadKiB)} KiB data, {(w.BatchSize == 1 ? "one per request" : $"{w.BatchSize} per request")}, "
        + $"one publisher, one topic, {w.Subscribers} SQS subscriber(s); no duplicates, failures or replays.",
        $"Lambda: {w.MemoryMb} MB {w.Architecture}; {StackProfile.AwsCallMs} ms per AWS call (local p50 5.9 ms, docs/performance.md); "
        + $"stream batches of {Num(recordsPerBatch)} records.",
        $"DynamoDB items of {itemBytes} B (data + {StackProfile.ItemOverheadBytes} B of attributes), kept {StackProfile.TableRetentionDays} days (TTL), PITR on.",
        $"Archive: one object of {Num(archiveObjectBytes / 1024)} KiB per stream batch, kept {StackProfile.ArchiveRetentionDays} days "
        + $"+ {StackProfile.ArchiveNoncurrentDays} noncurrent; steady state after a year; Macie's daily job reads each new byte once.",
        $"Logs {StackProfile.LogBytesPerInvocation} B per invocation and {StackProfile.AccessLogBytesPerRequest} B per API request; "
        + "X-Ray default sampling (1/s + 5 %).",
        .. w.Webhooks == 0 ? Array.Empty<string>() :
        [
            $"Webhooks: {w.Webhooks} subscription(s), each taking every event; {Num(w.WebhookAttempts)} attempt(s) per delivery, every one delivered in the end; "
            + $"receivers answer in {StackProfile.WebhookReceiverMs} ms; batches of {StackProfile.WebhookBatchSize}, {StackProfile.WebhookMemoryMb} MB; "
            + $"secrets re-read every {StackProfile.WebhookSecretCacheSeconds / 60} min per warm instance; attempts kept {StackProfile.TableRetentionDays} days.",
        ],
    ];

    /// <summary>Counts as a reader says them: 259.2 M, 1.3 B, 8,640.</summary>
    internal static string Count(double n) => n switch
    {
        >= 1e9 => $"{Short(n / 1e9)} B",
        >= 1e6 => $"{Short(n / 1e6)} M",
        _ => Math.Round(n).ToString("N0", CultureInfo.InvariantCulture),
    };

    private static string Short(double n) => Math.Round(n, n >= 100 ? 1 : 2).ToString("#,0.##", CultureInfo.InvariantCulture);

    private static string Num(double n) => Math.Round(n, n >= 100 ? 0 : 2).ToString("#,0.##", CultureInfo.InvariantCulture);
}
