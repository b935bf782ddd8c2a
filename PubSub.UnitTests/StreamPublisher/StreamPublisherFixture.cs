using Microsoft.Extensions.Logging.Abstractions;
using Amazon.DynamoDBStreams;
using Amazon.DynamoDBStreams.Model;
using PubSub.Aws.SimpleNotificationService;
using Record = Amazon.DynamoDBStreams.Model.Record;
using PubSub.Definition;
using PubSub.Events;
using PubSub.Json;
using PubSub.Routing;
using PubSub.StreamPublisher.Core;
using PubSub.UnitTests.Fakes;

namespace PubSub.UnitTests.StreamPublisher;

/// <summary>The stream publisher's core wired to fakes, with the repository's sample definition.</summary>
internal sealed class StreamPublisherFixture : IDisposable
{

    public StreamPublisherFixture(SystemDefinition? definition = null, PublisherSettings? settings = null)
    {
        definition ??= SystemDefinitionLoader.Load(Path.Combine(AppContext.BaseDirectory, "pubsub.json"));
        Settings = settings ?? DefaultSettings;
        Sns = new FakeSns([.. definition.Topics.Select(t => t.Name)]);
        var metrics = new StreamPublisherMetrics(new TestMeterFactory());
        Topics = new TopicDirectory(Sns, new Dictionary<string, string>());
        Publisher = new TopicPublisher(Sns, Topics, Settings, metrics, Time);
        Processor = new StreamBatchProcessor(new EventRouter(definition), Publisher, DeadLetters, Archive, Settings, metrics, Time,
            NullLogger<StreamBatchProcessor>.Instance);
    }

    public static PublisherSettings DefaultSettings { get; } = new("us-east-1", "publish-dlq", "http://dlq", ReplicaRegions: ["eu-west-1"]);

    public PublisherSettings Settings { get; }

    public FakeSns Sns { get; }

    public TopicDirectory Topics { get; }

    public FakeDeadLetterQueue DeadLetters { get; } = new();

    public FakeArchive Archive { get; } = new();

    public InstantTimeProvider Time { get; } = new();

    public TopicPublisher Publisher { get; }

    public StreamBatchProcessor Processor { get; }

    public static EventEnvelope Event(string id, string type, string region = "us-east-1") => new()
    {
        Id = id,
        Source = "shop",
        Type = type,
        Data = JsonPayload.FromString("""{"n":1}"""),
        Publisher = "demo",
        ReceivedAt = DateTimeOffset.UnixEpoch,
        OriginRegion = region,
    };

    public static Record Insert(EventEnvelope envelope, string sequenceNumber) => new()
    {
        EventName = OperationType.INSERT,
        Dynamodb = new StreamRecord { NewImage = EventItem.ToItem(envelope, TimeSpan.FromDays(1)), SequenceNumber = sequenceNumber },
    };

    public void Dispose() => Topics.Dispose();
}
