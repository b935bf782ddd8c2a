using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using PubSub.Definition;
using PubSub.LambdaRuntime;
using PubSub.WebhookDelivery.Lambda;
using PubSub.Webhooks.Worker;

namespace PubSub.UnitTests.Lambda;

/// <summary>The webhook delivery function's Lambda adapter: the SQS event read (fixture under <c>Lambda/SqsEvents</c>,
/// written from the documented shape), each queue's records handed to the core as its subscription's, and the partial
/// batch response naming exactly what stays on the queues.</summary>
public sealed class WebhookDeliveryFunctionTests
{
    private const string DemoArn = "arn:aws:sqs:us-east-1:123456789012:pubsub-webhook-demo";
    private const string SecondArn = "arn:aws:sqs:us-east-1:123456789012:pubsub-webhook-second";

    private static readonly SystemDefinition Definition = TwoWebhooks();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-12-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly List<(SubscriptionDefinition Subscription, string QueueUrl, IReadOnlyList<QueuedDelivery> Messages)> _batches = [];

    private static SystemDefinition TwoWebhooks()
    {
        var definition = SystemDefinitionLoader.Load(Path.Combine(AppContext.BaseDirectory, "pubsub.json"));
        return definition with
        {
            Subscriptions = [.. definition.Subscriptions, new SubscriptionDefinition("customers", "webhook", "https://example.com/hook", Id: "second")],
        };
    }

    private WebhookDeliveryFunction Function(Func<SubscriptionDefinition, IReadOnlyList<QueuedDelivery>, DeliveryBatchResult> result) =>
        new((subscription, queueUrl, messages, _) =>
        {
            _batches.Add((subscription, queueUrl, messages));
            return Task.FromResult(result(subscription, messages));
        }, new WebhookQueueDirectory(Definition), NullLogger<WebhookDeliveryFunction>.Instance, _time);

    private static async Task<string[]> FailuresAsync(WebhookDeliveryFunction function, byte[] sqsEvent)
    {
        var body = await function.HandleAsync(new LambdaInvocation("r-1", DateTimeOffset.UtcNow.AddMinutes(1), null, null, sqsEvent), CancellationToken.None);
        return [.. JsonDocument.Parse(body).RootElement.GetProperty("batchItemFailures").EnumerateArray()
            .Select(f => f.GetProperty("itemIdentifier").GetString()!)];
    }

    private static byte[] Fixture() => File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Lambda", "SqsEvents", "webhook-queue.json"));

    private static string Record(string messageId, string arn, string body = "{}") =>
        $$"""{"messageId":"{{messageId}}","receiptHandle":"rh-{{messageId}}","body":{{JsonSerializer.Serialize(body)}},"attributes":{},"messageAttributes":{},"eventSourceARN":"{{arn}}"}""";

    private static byte[] Event(params string[] records) => Encoding.UTF8.GetBytes($$"""{"Records":[{{string.Join(",", records)}}]}""");

    [Fact]
    public async Task A_documented_event_is_handed_over_as_its_subscriptions_messages_and_what_the_core_keeps_is_named()
    {
        var function = Function((_, messages) => new DeliveryBatchResult([messages[1].MessageId]));

        var failures = await FailuresAsync(function, Fixture());

        Assert.Equal(["2e1424d4-f796-459a-8184-9c92662be6da"], failures);
        var (subscription, queueUrl, delivered) = Assert.Single(_batches);
        Assert.Equal("demo", subscription.Id);
        Assert.Equal("https://sqs.us-east-1.amazonaws.com/123456789012/pubsub-webhook-demo", queueUrl);
        var first = delivered[0];
        Assert.Equal(("059f36b4-87a3-44ab-83d2-661975830a7d", "AQEBwJnKyrHigUMZj6rYigCgxlaS3SLy0a...", 3), (first.MessageId, first.ReceiptHandle, first.ReceiveCount));
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1545082649185), first.FirstReceivedAt);
        Assert.Equal("e-1", JsonDocument.Parse(first.Body).RootElement.GetProperty("id").GetString());
        Assert.Equal(new Dictionary<string, string> { ["id"] = "e-1", ["publisher"] = "demo" }, first.MessageAttributes); // the binary one is left out
        Assert.Empty(delivered[1].MessageAttributes);
    }

    [Fact]
    public async Task Records_of_a_queue_no_webhook_subscription_owns_are_kept_and_never_handed_to_the_core()
    {
        var function = Function((_, _) => DeliveryBatchResult.AllDone);

        var failures = await FailuresAsync(function, Event(
            Record("m-1", DemoArn),
            Record("m-2", "arn:aws:sqs:us-east-1:123456789012:orders-demo"),
            Record("m-3", "not an arn"),
            Record("m-4", SecondArn)));

        Assert.Equal(["m-2", "m-3"], failures.Order(StringComparer.Ordinal));
        Assert.Equal(["demo", "second"], _batches.Select(b => b.Subscription.Id));
        Assert.Equal(["m-1", "m-4"], _batches.SelectMany(b => b.Messages).Select(m => m.MessageId));
    }

    [Theory]
    [InlineData(null)]
    [InlineData(1.0)]
    [InlineData(50.0)]
    [InlineData(60.0)]
    [InlineData(10_000.0)]
    public async Task Each_process_gets_its_share_of_the_rate_limit_so_the_endpoint_never_gets_more_in_all(double? rateLimit)
    {
        // Up to MaximumConcurrency instances run at once, each with its own (per-process) rate limiter.
        var definition = Definition with
        {
            Subscriptions = [.. Definition.Subscriptions.Select(s => s.Id == "demo" ? s with { RateLimit = rateLimit } : s)],
        };
        var original = definition.Subscriptions.Single(s => s.Id == "demo");
        var function = new WebhookDeliveryFunction((subscription, queueUrl, messages, _) =>
        {
            _batches.Add((subscription, queueUrl, messages));
            return Task.FromResult(DeliveryBatchResult.AllDone);
        }, new WebhookQueueDirectory(definition), NullLogger<WebhookDeliveryFunction>.Instance, _time);

        await FailuresAsync(function, Event(Record("m-1", DemoArn)));

        var handed = Assert.Single(_batches).Subscription;
        var limit = original.RateLimit ?? WebhookQueues.DefaultRateLimit;
        Assert.NotNull(handed.RateLimit);
        Assert.Equal(limit, handed.RateLimit!.Value * WebhookQueues.MaximumConcurrency(original), 6);
        Assert.Equal(original with { RateLimit = handed.RateLimit }, handed);
    }

    [Fact]
    public async Task A_core_that_throws_keeps_its_queues_records_and_the_other_queues_results_stand()
    {
        var function = Function((subscription, messages) => subscription.Id == "demo"
            ? throw new InvalidOperationException("a bug of ours")
            : new DeliveryBatchResult([messages[0].MessageId]));

        var failures = await FailuresAsync(function, Event(Record("d-1", DemoArn), Record("d-2", DemoArn), Record("s-1", SecondArn), Record("s-2", SecondArn)));

        Assert.Equal(["d-1", "d-2", "s-1"], failures.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_record_without_attributes_counts_as_a_first_receive_now_and_one_without_an_id_is_left_to_sqs()
    {
        var function = Function((_, _) => DeliveryBatchResult.AllDone);

        var failures = await FailuresAsync(function, Event(
            """{"messageId":"m-1","eventSourceARN":"arn:aws:sqs:us-east-1:123456789012:pubsub-webhook-demo"}""",
            """{"receiptHandle":"rh","body":"{}","eventSourceARN":"arn:aws:sqs:us-east-1:123456789012:pubsub-webhook-demo"}"""));

        Assert.Empty(failures);
        var message = Assert.Single(Assert.Single(_batches).Messages);
        Assert.Equal(("m-1", "", "", 1, _time.GetUtcNow()), (message.MessageId, message.ReceiptHandle, message.Body, message.ReceiveCount, message.FirstReceivedAt));
    }

    [Fact]
    public async Task An_empty_event_answers_no_failures_and_a_body_that_is_not_an_event_fails_the_invocation()
    {
        var function = Function((_, _) => DeliveryBatchResult.AllDone);

        Assert.Empty(await FailuresAsync(function, Encoding.UTF8.GetBytes("""{"Records":[]}""")));
        await Assert.ThrowsAnyAsync<JsonException>(() => FailuresAsync(function, Encoding.UTF8.GetBytes("[1,2]")));
        Assert.Empty(_batches);
    }

    [Theory]
    [InlineData("arn:aws:sqs:eu-west-1:111122223333:q", "https://sqs.eu-west-1.amazonaws.com/111122223333/q")]
    [InlineData("arn:aws-cn:sqs:cn-north-1:111122223333:q", "https://sqs.cn-north-1.amazonaws.com.cn/111122223333/q")]
    [InlineData("arn:aws-us-gov:sqs:us-gov-west-1:111122223333:q", "https://sqs.us-gov-west-1.amazonaws.com/111122223333/q")]
    public void A_queue_arn_gives_the_queues_url(string arn, string url)
    {
        Assert.True(QueueArn.TryParse(arn, out var parsed));
        Assert.Equal(url, parsed.Url);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("arn:aws:sns:us-east-1:111122223333:topic")]
    [InlineData("arn:aws:sqs:us-east-1:111122223333")]
    [InlineData("arn:aws:sqs:us-east-1::q")]
    [InlineData("arn:aws:sqs:us-east-1:111122223333:q:extra")]
    public void What_is_not_a_queue_arn_is_refused(string? arn) => Assert.False(QueueArn.TryParse(arn, out _));
}
