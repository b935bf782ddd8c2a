using System.Diagnostics;
using System.Reflection;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.S3;
using PubSub.Aws.DynamoDB;
using Amazon.SimpleNotificationService.Model;
using PubSub.Aws.SimpleNotificationService;
using PubSub.DeadLetters;
using PubSub.Definition;
using PubSub.Events;
using PubSub.Json;
using PubSub.Operations;
using PubSub.StreamPublisher.Core;
using PubSub.UnitTests.Fakes;
using PubSub.UnitTests.StreamPublisher;

namespace PubSub.UnitTests.Events;

/// <summary>Live publishing, the dead-letter replay and the stored-event replay map an event to the same SNS
/// message: a subscriber can tell a replayed message only by <c>replayed=true</c>.</summary>
public sealed class EventMessageTests : IDisposable
{
    private const string Topic = "orders.fifo";
    private const string TraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    private static readonly EventEnvelope Envelope = new()
    {
        Id = "o-1",
        Source = "shop",
        Type = "order.created",
        Subject = "orders/1",
        Time = new DateTimeOffset(2026, 11, 30, 12, 0, 0, TimeSpan.Zero),
        DataContentType = "application/json",
        Data = JsonPayload.FromString("""{"total":12.5,"name":"Zoë"}"""),
        Extensions = new Dictionary<string, string> { [FifoKeys.PartitionKeyExtension] = "\"customer-7\"" },
        Publisher = "demo",
        ReceivedAt = new DateTimeOffset(2026, 11, 30, 12, 0, 1, TimeSpan.Zero),
        OriginRegion = "us-east-1",
        TraceParent = TraceParent,
        TraceState = "vendor=1",
        Sensitive = new Sensitivity(Sensitivity.Flagged, new Dictionary<string, int> { ["email"] = 1 }),
    };

    private static readonly SystemDefinition Definition = SystemDefinitionLoader.Parse("""
        {
          "name": "t",
          "events": { "table": "t-events", "retentionDays": 7, "archiveBucket": "t-archive" },
          "deadLetterQueues": { "ingestion": "t-in", "publish": "t-out" },
          "topics": [ { "name": "orders.fifo" } ],
          "routes": [ { "name": "orders", "pattern": { "type": [ { "prefix": "order." } ] }, "topics": [ "orders.fifo" ] } ]
        }
        """);

    private readonly FakeSns _sns = new(Topic);
    private readonly TopicDirectory _topics;

    public EventMessageTests() => _topics = new TopicDirectory(_sns, new Dictionary<string, string>());

    public void Dispose() => _topics.Dispose();

    [Fact]
    public async Task A_message_replayed_from_the_dead_letter_queue_equals_the_live_one_but_for_replayed()
    {
        var live = await PublishLiveAsync();
        var letter = DeadLetterMessage.ForPublish(Envelope, DeadLetterReason.PublishFailed, Topic, FakeSns.ArnOf(Topic), "InternalError",
            "later", 3, DateTimeOffset.UnixEpoch);
        using var writer = new DynamoDbConditionalWriter(new AmazonDynamoDBConfig { ServiceURL = "http://dynamodb.test/", AuthenticationRegion = "us-east-1" },
            TestClients.Credentials, new RecordingHandler(), new InstantTimeProvider());
        using var s3 = new AmazonS3Client(TestClients.Credentials, new AmazonS3Config { ServiceURL = "http://s3.test/" });
        var replayer = new DeadLetterReplayer(writer, _sns, _topics, s3, ReplayDestinations.Of(Definition));

        var outcome = await replayer.ReplayAsync(letter, CancellationToken.None);

        Assert.Equal(ReplayResult.Replayed, outcome.Result);
        AssertSameButReplayed(live, Assert.Single(_sns.Singles));
    }

    [Fact]
    public async Task A_stored_event_replayed_equals_the_live_message_but_for_replayed()
    {
        var live = await PublishLiveAsync();
        var table = DispatchProxy.Create<IAmazonDynamoDB, OnePageTable>();
        ((OnePageTable)(object)table).Items = [EventItem.ToItem(Envelope, TimeSpan.FromDays(1))];
        var replay = new StoredEventReplay(table, _sns, _topics, Definition, TimeProvider.System);
        var state = Path.Combine(Path.GetTempPath(), $"replay-{Guid.NewGuid():N}.json");

        var report = await replay.RunAsync(new EventReplayRequest(DateTimeOffset.MinValue, DateTimeOffset.MaxValue, null, null, null, 0, DryRun: false),
            state, null, CancellationToken.None);

        Assert.Equal((1, 0), (report.Published, report.Failed));
        AssertSameButReplayed(live, Assert.Single(_sns.Singles));
    }

    private async Task<PublishBatchRequestEntry> PublishLiveAsync()
    {
        var publisher = new TopicPublisher(_sns, _topics, StreamPublisherFixture.DefaultSettings, new StreamPublisherMetrics(new TestMeterFactory()),
            new InstantTimeProvider());
        var failures = await publisher.PublishAsync(Topic, [new PendingMessage(0, Envelope, Topic, CloudEventJson.ToJson(Envelope), default(ActivityContext))],
            CancellationToken.None);
        Assert.Empty(failures);
        return Assert.Single(_sns.Published(Topic));
    }

    private static void AssertSameButReplayed(PublishBatchRequestEntry live, PublishRequest replayed)
    {
        Assert.Equal(TraceParent, live.MessageAttributes["traceparent"].StringValue);
        Assert.NotNull(live.MessageGroupId);
        Assert.False(live.MessageAttributes.ContainsKey(MessageAttributes.Replayed));

        Assert.Equal(FakeSns.ArnOf(Topic), replayed.TopicArn);
        Assert.Equal(live.Message, replayed.Message);
        Assert.Equal(live.Subject, replayed.Subject);
        Assert.Equal((live.MessageGroupId, live.MessageDeduplicationId), (replayed.MessageGroupId, replayed.MessageDeduplicationId));
        Assert.Equal("true", replayed.MessageAttributes[MessageAttributes.Replayed].StringValue);
        Assert.Equal(
            live.MessageAttributes.OrderBy(a => a.Key, StringComparer.Ordinal),
            replayed.MessageAttributes.Where(a => a.Key != MessageAttributes.Replayed).OrderBy(a => a.Key, StringComparer.Ordinal));
    }

    /// <summary>A table of one scan page; every other call is a mistake of the test.</summary>
#pragma warning disable CA1852 // DispatchProxy derives from it
    internal class OnePageTable : DispatchProxy
#pragma warning restore CA1852
    {
        public List<Dictionary<string, AttributeValue>> Items { get; set; } = [];

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args) => targetMethod?.Name == nameof(IAmazonDynamoDB.ScanAsync)
            ? Task.FromResult(new ScanResponse { Items = Items, Count = Items.Count, ScannedCount = Items.Count })
            : throw new NotSupportedException(targetMethod?.Name);
    }
}
