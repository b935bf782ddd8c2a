namespace PubSub.Cli.Cost;

/// <summary>One list price: what AWS charges per unit, and where the figure was read.</summary>
/// <param name="Usd">US dollars per <paramref name="Unit"/>.</param>
/// <param name="Source">The page the figure was read from on <see cref="PriceList.CheckedOn"/>; "(not re-read)" marks a
/// figure taken from AWS's own pricing page as known, which no stored page confirmed that day.</param>
internal sealed record UnitPrice(double Usd, string Unit, string Source);

/// <summary>A price tier: <paramref name="UpTo"/> units per month (null: no upper end) at <paramref name="Usd"/> each.</summary>
internal sealed record PriceTier(double? UpTo, double Usd);

/// <summary>A price as the command prints it and <c>--json</c> carries it.</summary>
internal sealed record NamedPrice(string Name, double Usd, string Unit, string Source);

/// <summary>The on-demand list prices <see cref="CostEstimator"/> uses, for one region, with the date they were
/// checked. Free tiers are left out on purpose: they belong to an account, not to this stack, and most of them end
/// after 12 months. Only regions whose prices were confirmed are here; others are refused, never guessed.</summary>
internal sealed record PriceList
{
    public required string Region { get; init; }
    public required DateOnly CheckedOn { get; init; }

    /// <summary>REST API calls, tiered per month (per call).</summary>
    public required IReadOnlyList<PriceTier> ApiGatewayRestRequests { get; init; }
    public required string ApiGatewayRestSource { get; init; }
    public required UnitPrice LambdaRequest { get; init; }
    public required UnitPrice LambdaGbSecondX86 { get; init; }
    public required UnitPrice LambdaGbSecondArm { get; init; }
    public required UnitPrice DynamoDbWriteRequestUnit { get; init; }
    public required UnitPrice DynamoDbReadRequestUnit { get; init; }
    public required UnitPrice SsmStandardParameterRead { get; init; }
    public required UnitPrice DynamoDbStorageGbMonth { get; init; }
    public required UnitPrice DynamoDbPitrGbMonth { get; init; }
    public required UnitPrice DynamoDbStreamsReadByLambda { get; init; }
    public required UnitPrice SnsPublishRequest { get; init; }
    public required UnitPrice SnsDeliveryToSqs { get; init; }
    public required UnitPrice SqsRequest { get; init; }
    public required UnitPrice S3PutRequest { get; init; }
    public required UnitPrice S3StandardGbMonth { get; init; }
    public required UnitPrice S3StandardIaGbMonth { get; init; }
    public required UnitPrice S3GlacierIrGbMonth { get; init; }
    public required UnitPrice S3TransitionToStandardIa { get; init; }
    public required UnitPrice S3TransitionToGlacierIr { get; init; }
    public required UnitPrice KmsKeyMonth { get; init; }
    public required UnitPrice KmsRequest { get; init; }
    public required UnitPrice CloudWatchLogsIngestedGb { get; init; }
    public required UnitPrice CloudWatchLogsStoredGbMonth { get; init; }
    public required UnitPrice CloudWatchAlarmMonth { get; init; }
    public required UnitPrice CloudWatchCustomMetricMonth { get; init; }
    public required UnitPrice CloudWatchDashboardMonth { get; init; }
    public required UnitPrice XRayTraceRecorded { get; init; }
    public required UnitPrice MacieBucketMonth { get; init; }
    public required UnitPrice MacieGbInspected { get; init; }
    public required UnitPrice EventBridgeCustomEvent { get; init; }
    public required UnitPrice EventBridgeDeliveryToSqs { get; init; }

    private const double Million = 1_000_000;

    /// <summary>US East (N. Virginia), checked 2026-11-30 with the stored pages named in each source.</summary>
    public static readonly PriceList UsEast1 = new()
    {
        Region = "us-east-1",
        CheckedOn = new DateOnly(2026, 11, 30),
        ApiGatewayRestRequests =
        [
            new(333 * Million, 3.50 / Million),
            new(1_000 * Million, 2.80 / Million),
            new(20_000 * Million, 2.38 / Million),
            new(null, 1.51 / Million),
        ],
        ApiGatewayRestSource = "docs.aws.amazon.com/whitepapers/latest/best-practices-api-gateway-private-apis-integration/cost-optimization.html "
                               + "(REST: first 333 M $3.50/M, next 667 M $2.80/M, next 19 B $2.38/M, over 20 B $1.51/M)",
        LambdaRequest = new(0.20 / Million, "request", "cloudchipr.com/blog/aws-lambda-pricing; lambda_local_runner docs/lambda-13-cost.md ($0.20/M)"),
        LambdaGbSecondX86 = new(0.0000166667, "GB-second", "cloudchipr.com/blog/aws-lambda-pricing (x86, first 6 B GB-s/month)"),
        LambdaGbSecondArm = new(0.0000133334, "GB-second", "cloudchipr.com/blog/aws-lambda-pricing (arm64, first 7.5 B GB-s/month)"),
        DynamoDbWriteRequestUnit = new(0.625 / Million, "write request unit",
            "airbyte.com/data-engineering-resources/dynamodb-pricing (on-demand after the Nov 2024 cut: $0.625/M WRU)"),
        DynamoDbReadRequestUnit = new(0.125 / Million, "read request unit (4 KB, strongly consistent)",
            "airbyte.com/data-engineering-resources/dynamodb-pricing ($0.125/M RRU after the November 2024 cut; the $0.625/M WRU agrees)"),
        SsmStandardParameterRead = new(0, "GetParameter (standard parameter, standard throughput)",
            "docs.aws.amazon.com/systems-manager/latest/userguide/parameter-store-advanced-parameters.html (standard: no additional charge); "
            + "parameter-store-throughput.html (standard throughput: no additional cost); a SecureString's decryption is a KMS request"),
        DynamoDbStorageGbMonth = new(0.25, "GB-month", "aws.amazon.com/dynamodb/pricing (Standard table class) (not re-read)"),
        DynamoDbPitrGbMonth = new(0.20, "GB-month", "finops.com.py/services/dynamodb/backups (PITR $0.20/GB-month)"),
        DynamoDbStreamsReadByLambda = new(0, "GetRecords by a Lambda trigger",
            "docs.aws.amazon.com/amazondynamodb/latest/developerguide/CostOptimization_StreamsUsage.html (Lambda's reads are free)"),
        SnsPublishRequest = new(0.50 / Million, "request (64 KB chunk)",
            "factualminds.com/blog/amazon-sns-pricing-publishes-fanout-protocols ($0.50/M standard); 64 KB chunks per request, "
            + "PublishBatch billed per request: docs.aws.amazon.com/sns/latest/dg/sns-batch-api-actions.html (\"reduce costs by up to 10\")"),
        SnsDeliveryToSqs = new(0, "delivery", "aws.amazon.com/sns/pricing (deliveries to SQS queues: no charge) (not re-read)"),
        SqsRequest = new(0.40 / Million, "request (64 KB chunk)",
            "cloudburn.io/blog/amazon-sqs-pricing; unanswered.io/guide/aws-sqs-pricing-and-cost-optimization ($0.40/M, 64 KB chunks)"),
        S3PutRequest = new(0.005 / 1000, "PUT request", "aws.amazon.com/s3/pricing (S3 Standard PUT $0.005 per 1,000) (not re-read)"),
        S3StandardGbMonth = new(0.023, "GB-month", "usage.ai/blogs/aws/storage-cost/glacier-deep-archive-pricing (US East, May 2026)"),
        S3StandardIaGbMonth = new(0.0125, "GB-month", "usage.ai/blogs/aws/storage-cost/glacier-deep-archive-pricing (128 KB minimum)"),
        S3GlacierIrGbMonth = new(0.004, "GB-month", "usage.ai/blogs/aws/storage-cost/glacier-deep-archive-pricing (128 KB minimum)"),
        S3TransitionToStandardIa = new(0.01 / 1000, "transition", "aws.amazon.com/s3/pricing (lifecycle to Standard-IA) (not re-read)"),
        S3TransitionToGlacierIr = new(0.02 / 1000, "transition", "aws.amazon.com/s3/pricing (lifecycle to Glacier IR) (not re-read)"),
        KmsKeyMonth = new(1.00, "key-month", "aws.amazon.com/kms/pricing ($1/month; each rotation adds $1/month: first year shown)"),
        KmsRequest = new(0.03 / 10_000, "request", "aws.amazon.com/kms/pricing; wring.co/blog/aws-kms-pricing-guide ($0.03 per 10,000)"),
        CloudWatchLogsIngestedGb = new(0.50, "GB ingested", "factualminds.com/blog/amazon-cloudwatch-pricing-metrics-logs-alarms-dashboards ($0.50/GB)"),
        CloudWatchLogsStoredGbMonth = new(0.03, "GB-month", "aws.amazon.com/cloudwatch/pricing (logs storage) (not re-read)"),
        CloudWatchAlarmMonth = new(0.10, "alarm-month", "aws.amazon.com/cloudwatch/pricing (standard-resolution metric alarm) (not re-read)"),
        CloudWatchCustomMetricMonth = new(0.30, "metric-month", "signoz.io/guides/cloudwatch-pricing ($0.30 for the first 10,000)"),
        CloudWatchDashboardMonth = new(3.00, "dashboard-month", "factualminds.com/blog/amazon-cloudwatch-pricing-metrics-logs-alarms-dashboards ($3 each)"),
        XRayTraceRecorded = new(5.00 / Million, "trace recorded", "aws.amazon.com/de/xray/pricing ($5.00 per million)"),
        MacieBucketMonth = new(0.10, "bucket-month", "raw.githubusercontent.com/api-evangelist/amazon-macie plans (from aws.amazon.com/macie/pricing)"),
        MacieGbInspected = new(1.00, "GB inspected", "raw.githubusercontent.com/api-evangelist/amazon-macie plans ($1/GB, first 50 TB/month; "
                                                    + "cheaper above, not applied: an upper bound)"),
        EventBridgeCustomEvent = new(1.00 / Million, "event (64 KB chunk)", "cloudburn.io/blog/amazon-eventbridge-pricing ($1.00/M custom events)"),
        EventBridgeDeliveryToSqs = new(0, "delivery", "cloudburn.io/blog/amazon-eventbridge-pricing (same-account delivery free)"),
    };

    /// <summary>The regions whose prices were confirmed; <c>pubsub cost --region</c> refuses the others.</summary>
    public static readonly IReadOnlyDictionary<string, PriceList> ByRegion = new Dictionary<string, PriceList>(StringComparer.Ordinal)
    {
        [UsEast1.Region] = UsEast1,
    };

    /// <summary>Every price with a name a reader knows, for the command's price table and docs/cost.md.</summary>
    public IReadOnlyList<NamedPrice> Rows() => new (string Name, UnitPrice Price)[]
    {
        ("API Gateway REST request", new(ApiGatewayRestRequests[0].Usd, "request (first 333 M; tiers below)", ApiGatewayRestSource)),
        ("Lambda request", LambdaRequest), ("Lambda x86_64", LambdaGbSecondX86), ("Lambda arm64", LambdaGbSecondArm),
        ("DynamoDB write", DynamoDbWriteRequestUnit), ("DynamoDB read", DynamoDbReadRequestUnit), ("SSM parameter read", SsmStandardParameterRead), ("DynamoDB storage", DynamoDbStorageGbMonth), ("DynamoDB PITR", DynamoDbPitrGbMonth),
        ("DynamoDB Streams (Lambda)", DynamoDbStreamsReadByLambda), ("SNS publish", SnsPublishRequest), ("SNS to SQS", SnsDeliveryToSqs),
        ("SQS request", SqsRequest), ("S3 PUT", S3PutRequest), ("S3 Standard", S3StandardGbMonth), ("S3 Standard-IA", S3StandardIaGbMonth),
        ("S3 Glacier IR", S3GlacierIrGbMonth), ("S3 to Standard-IA", S3TransitionToStandardIa), ("S3 to Glacier IR", S3TransitionToGlacierIr),
        ("KMS key", KmsKeyMonth), ("KMS request", KmsRequest), ("CloudWatch Logs ingested", CloudWatchLogsIngestedGb),
        ("CloudWatch Logs stored", CloudWatchLogsStoredGbMonth), ("CloudWatch alarm", CloudWatchAlarmMonth),
        ("CloudWatch custom metric", CloudWatchCustomMetricMonth), ("CloudWatch dashboard", CloudWatchDashboardMonth),
        ("X-Ray trace", XRayTraceRecorded), ("Macie bucket", MacieBucketMonth), ("Macie inspection", MacieGbInspected),
        ("EventBridge event", EventBridgeCustomEvent), ("EventBridge to SQS", EventBridgeDeliveryToSqs),
    }.Select(r => new NamedPrice(r.Name, r.Price.Usd, r.Price.Unit, r.Price.Source)).ToList();

    /// <summary>The monthly charge for <paramref name="units"/> under tiered prices.</summary>
    public static double Tiered(IReadOnlyList<PriceTier> tiers, double units)
    {
        double total = 0, from = 0;
        foreach (var tier in tiers)
        {
            var to = tier.UpTo ?? double.PositiveInfinity;
            if (units <= from)
            {
                break;
            }

            total += (Math.Min(units, to) - from) * tier.Usd;
            from = to;
        }

        return total;
    }
}
