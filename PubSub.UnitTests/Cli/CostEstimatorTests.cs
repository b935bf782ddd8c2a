using PubSub.Cli.Cost;

namespace PubSub.UnitTests.Cli;

/// <summary><c>pubsub cost</c> against sums done by hand. A month is 30 days = 2,592,000 s; prices are us-east-1 of
/// 2026-11-30 (PriceList); sizes are StackProfile's: a 1 KiB event is a 1,600 B item (1,024 + 576), a 1,408 B CloudEvent
/// (1,024 + 384; 1,409 B with the archive's newline) and a 1,728 B SNS message (+ 320 B of attributes).</summary>
public sealed class CostEstimatorTests
{
    private static readonly CostEstimate Single100 = CostEstimator.Estimate(new Workload(100));

    [Fact]
    public void One_hundred_single_events_a_second_cost_what_the_hand_sums_say()
    {
        var e = Single100;

        // 100/s x 2,592,000 s = 259.2 M events = 259.2 M requests.
        Assert.Equal(259_200_000, e.EventsPerMonth, 0);
        // API Gateway: 259.2 M requests x $3.50/M (all in the first 333 M) = $907.20.
        Assert.Equal(907.20, e.Line("API Gateway (REST)").MonthlyUsd, 2);
        // Ingestion: 259.2 M x $0.20/M = $51.84; 259.2 M x 10 ms x 0.25 GB = 648,000 GB-s x $0.0000133334 = $8.64; = $60.48.
        Assert.Equal(60.48, e.Line("Lambda ingestion").MonthlyUsd, 2);
        // Stream publisher: batches of 100 = 2.592 M invocations x $0.20/M = $0.5184; each 10 ms + 10 PublishBatch x 10 ms
        // + 20 ms for the S3 PUT = 130 ms: 2.592 M x 0.13 s x 0.25 GB = 84,240 GB-s x $0.0000133334 = $1.1232; = $1.64.
        Assert.Equal(1.64, e.Line("Lambda stream publisher").MonthlyUsd, 2);
        // DynamoDB: a 1,600 B item is 2 WRU: 259.2 M x 2 x $0.625/M = $324.00.
        Assert.Equal(324.00, e.Line("DynamoDB writes").MonthlyUsd, 2);
        // Storage: 30 days of items, 259.2 M x (1,600 + 100) B = 410.38 GB x ($0.25 + $0.20 PITR) = $184.67.
        Assert.Equal(184.67, e.Line("DynamoDB storage + PITR").MonthlyUsd, 2);
        // Streams read by Lambda: free.
        Assert.Equal(0, e.Line("DynamoDB Streams").MonthlyUsd);
        // SNS: 10 PublishBatch calls per batch of 100, each 10 x 1,728 B = 17,280 B = one 64 KB request:
        // 2.592 M x 10 = 25.92 M x $0.50/M = $12.96; the deliveries to SQS are free.
        Assert.Equal(12.96, e.Line("SNS").MonthlyUsd, 2);
        // SQS: per 10 messages one ReceiveMessage (17,280 B: one request) and one DeleteMessageBatch:
        // 25.92 M x 2 = 51.84 M x $0.40/M = $20.736.
        Assert.Equal(20.74, e.Line("SQS (subscribers' reads)").MonthlyUsd, 2);
        // S3: one object of 100 x 1,409 B = 140,900 B (over 128 KiB, so it moves twice) per batch:
        // 2.592 M x ($0.005 + $0.01 + $0.02)/1,000 = $90.72.
        Assert.Equal(90.72, e.Line("S3 archive requests").MonthlyUsd, 2);
        // 259.2 M x 1,409 B = 340.13 GB a month: 1 month Standard, 2 IA, (395 - 90)/30 = 10.17 Glacier IR:
        // 340.13 x ($0.023 + 2 x $0.0125 + 10.1667 x $0.004) = $30.16.
        Assert.Equal(30.16, e.Line("S3 archive storage").MonthlyUsd, 2);
        // KMS: $1 + (2 per queue + topic + bucket = 4) x 8,640 five-minute periods = 34,560 x $0.03/10,000 = $1.10.
        Assert.Equal(1.10, e.Line("KMS").MonthlyUsd, 2);
        // CloudWatch: (261.792 M invocations x 1,200 B + 259.2 M x 400 B) = 389.13 GB x ($0.50 + $0.03) = $206.24,
        // + 11 alarms x $0.10 = $1.10, + 14 custom metrics x $0.30 = $4.20, + 1 dashboard x $3 = $214.54.
        Assert.Equal(214.54, e.Line("CloudWatch").MonthlyUsd, 2);
        // X-Ray: API 1 + 5 % x 99 = 5.95/s, stream publisher 1/s: 6.95 x 2,592,000 = 18.01 M x $5/M = $90.07.
        Assert.Equal(90.07, e.Line("X-Ray").MonthlyUsd, 2);
        // Macie: $0.10 for the bucket + 340.13 GB x $1 = $340.23.
        Assert.Equal(340.23, e.Line("Macie").MonthlyUsd, 2);
    }

    [Fact]
    public void The_same_events_on_eventbridge_cost_a_dollar_a_million_and_the_same_reads()
    {
        // PutEvents: 259.2 M events of 1,408 B (one 64 KB chunk each) x $1/M = $259.20; rules to SQS free;
        // SQS reads as above $20.736: $279.94.
        Assert.Equal(259.20, Single100.EventBridge[0].MonthlyUsd, 2);
        Assert.Equal(279.94, Single100.EventBridgeTotal, 2);
    }

    [Fact]
    public void Batches_of_one_hundred_cut_the_gateway_and_ingestion_by_a_hundred_but_not_the_writes()
    {
        var e = CostEstimator.Estimate(new Workload(100, BatchSize: 100));

        // 2.592 M requests x $3.50/M = $9.072.
        Assert.Equal(9.07, e.Line("API Gateway (REST)").MonthlyUsd, 2);
        // 2.592 M x $0.20/M = $0.5184; 100 writes 16 at a time = 7 x 10 ms = 70 ms:
        // 2.592 M x 0.07 s x 0.25 GB = 45,360 GB-s x $0.0000133334 = $0.6048; = $1.12.
        Assert.Equal(1.12, e.Line("Lambda ingestion").MonthlyUsd, 2);
        Assert.Equal(324.00, e.Line("DynamoDB writes").MonthlyUsd, 2);
    }

    [Fact]
    public void Ten_thousand_single_events_a_second_go_down_the_gateways_price_tiers()
    {
        var e = CostEstimator.Estimate(new Workload(10_000));

        // 25.92 B requests: 333 M x $3.50 + 667 M x $2.80 + 19 B x $2.38 + 5.92 B x $1.51 (per M)
        // = $1,165.50 + $1,867.60 + $45,220.00 + $8,939.20 = $57,192.30.
        Assert.Equal(57_192.30, e.Line("API Gateway (REST)").MonthlyUsd, 2);
    }

    [Fact]
    public void X86_functions_cost_the_x86_price_per_gigabyte_second()
    {
        var e = CostEstimator.Estimate(new Workload(100, Architecture: "x86_64"));

        // $51.84 + 648,000 GB-s x $0.0000166667 ($10.80) = $62.64.
        Assert.Equal(62.64, e.Line("Lambda ingestion").MonthlyUsd, 2);
    }

    [Fact]
    public void A_trickle_makes_a_batch_an_archive_object_and_a_publish_per_event_and_small_objects_stay_in_standard()
    {
        var e = CostEstimator.Estimate(new Workload(0.5));

        // 0.5/s x 2,592,000 = 1.296 M events, one per stream invocation (the 1 s window gathers 0.5, at least 1).
        // SNS: 1.296 M x one 1,728 B request x $0.50/M = $0.648.
        Assert.Equal(0.65, e.Line("SNS").MonthlyUsd, 2);
        // S3: 1.296 M PUTs x $0.005/1,000 = $6.48; 1,409 B objects never move (under 128 KiB).
        Assert.Equal(6.48, e.Line("S3 archive requests").MonthlyUsd, 2);
        // 1.296 M x 1,409 B = 1.7007 GB a month, kept 395 days = 13.1667 months in Standard x $0.023 = $0.52.
        Assert.Equal(0.52, e.Line("S3 archive storage").MonthlyUsd, 2);
    }

    [Fact]
    public void Large_events_are_billed_per_64_kb_chunk_and_per_kb_of_item()
    {
        var e = CostEstimator.Estimate(new Workload(1, PayloadKiB: 100));

        // An SNS message of 102,400 + 704 = 103,104 B: 2 chunks; one per batch (1/s): 2.592 M x 2 x $0.50/M = $2.592.
        Assert.Equal(2.59, e.Line("SNS").MonthlyUsd, 2);
        // An item of 102,400 + 576 = 102,976 B = 101 WRU: 2.592 M x 101 x $0.625/M = $163.62.
        Assert.Equal(163.62, e.Line("DynamoDB writes").MonthlyUsd, 2);
        // EventBridge: 102,784 B = 2 chunks: 5.184 M x $1/M = $5.184.
        Assert.Equal(5.18, e.EventBridge[0].MonthlyUsd, 2);
    }

    [Theory]
    [InlineData(0, 1, 1, 1, "us-east-1", "--events-per-second must be above 0")]
    [InlineData(-5, 1, 1, 1, "us-east-1", "--events-per-second must be above 0")]
    [InlineData(double.NaN, 1, 1, 1, "us-east-1", "--events-per-second must be above 0")]
    [InlineData(1e9, 1, 1, 1, "us-east-1", "at most 100,000")]
    [InlineData(100, 0, 1, 1, "us-east-1", "--batch-size must be 1")]
    [InlineData(100, 101, 1, 1, "us-east-1", "--batch-size must be 1")]
    [InlineData(100, 1, 0, 1, "us-east-1", "--payload-kib must be above 0")]
    [InlineData(100, 1, 300, 1, "us-east-1", "--payload-kib must be above 0 and at most 256")]
    [InlineData(100, 1, 255.8, 1, "us-east-1", "would not fit SNS's 256 KiB")]
    [InlineData(100, 100, 20, 1, "us-east-1", "exceeds the API's 1 MiB per request")]
    [InlineData(100, 1, 1, -1, "us-east-1", "--subscribers must be 0 to 1000")]
    [InlineData(100, 1, 1, 1, "eu-west-1", "No confirmed prices for region 'eu-west-1': only us-east-1")]
    public void Absurd_or_unpriced_workloads_are_refused_with_the_reason(double rate, int batch, double kib, int subscribers, string region,
        string expected)
    {
        var problem = new Workload(rate, batch, kib, subscribers, region).Problem();

        Assert.NotNull(problem);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => CostEstimator.Estimate(new Workload(rate, batch, kib, subscribers, region)));
    }

    [Fact]
    public void Other_architectures_and_memory_sizes_outside_lambdas_range_are_refused()
    {
        Assert.Contains("arm64 or x86_64", new Workload(1, Architecture: "ppc64").Problem(), StringComparison.Ordinal);
        Assert.Contains("128 to 10240", new Workload(1, MemoryMb: 64).Problem(), StringComparison.Ordinal);
        Assert.Null(new Workload(1, BatchSize: 100, PayloadKiB: 9).Problem());
    }
}
