using System.Net;
using System.Text;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Microsoft.Extensions.Logging.Abstractions;
using PubSub.Aws.DynamoDB;
using Amazon.DynamoDBStreams;
using Amazon.DynamoDBStreams.Model;
using Amazon.SimpleNotificationService;
using Amazon.SimpleNotificationService.Model;
using PubSub.Aws.SimpleNotificationService;
using PubSub.Definition;
using PubSub.Events;
using PubSub.Json;
using PubSub.Routing;
using PubSub.StreamPublisher.Core;
using BenchmarkDotNet.Attributes;
using Record = Amazon.DynamoDBStreams.Model.Record;

namespace PubSub.Benchmarks.Core;

/// <summary>What the services do around the network: marshalling an event into a table item and
/// back, building and signing the PutItem and PublishBatch requests and reading their answers (sent to
/// an in-memory HTTP handler with a canned answer, so no socket is measured), and the stream
/// publisher's whole core for a batch of 100 stream records.</summary>
[MemoryDiagnoser]
public class WireBenchmarks : IDisposable
{
    private const string SnsNamespace = "http://sns.amazonaws.com/doc/2010-03-31/";
    private EventEnvelope _envelope = null!;
    private Dictionary<string, AttributeValue> _item = null!;
    private DynamoDbConditionalWriter _dynamoDb = null!;
    private AmazonSimpleNotificationServiceClient _sns = null!;
    private PublishBatchRequest _publishBatch = null!;
    private StreamBatchProcessor _processor = null!;
    private List<Record> _records = null!;

    [GlobalSetup]
    public void Setup()
    {
        using var cloudEvent = System.Text.Json.JsonDocument.Parse(SamplePayloads.OrderCreated(1024));
        var data = cloudEvent.RootElement.GetProperty("data").GetRawText();
        _envelope = new EventEnvelope
        {
            Id = "0190a3b8-7c1e-7d3a-9f1b-5e2c4a6d8e01", Source = "https://shop.example.com", Type = "order.created",
            Data = JsonPayload.FromString(data), DataContentType = "application/json", Publisher = "demo",
            ReceivedAt = DateTimeOffset.UtcNow, OriginRegion = "us-east-1", Fingerprint = "sha256-of-the-body",
        };
        _item = EventItem.ToItem(_envelope, TimeSpan.FromDays(30));

        var credentials = new BasicAWSCredentials("test", "test");
        _dynamoDb = new DynamoDbConditionalWriter(new AmazonDynamoDBConfig { ServiceURL = "http://dynamodb.local", AuthenticationRegion = "us-east-1" },
            credentials, new CannedHandler("{}", "application/x-amz-json-1.0"));
        var succeeded = string.Concat(Enumerable.Range(0, 10).Select(i => $"<member><Id>e{i}</Id><MessageId>m{i}</MessageId></member>"));
        _sns = new AmazonSimpleNotificationServiceClient(
            new AmazonSimpleNotificationServiceConfig { ServiceURL = "http://sns.local", AuthenticationRegion = "us-east-1" }, credentials,
            new CannedHandler($"""<PublishBatchResponse xmlns="{SnsNamespace}"><PublishBatchResult><Successful>{succeeded}</Successful><Failed /></PublishBatchResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></PublishBatchResponse>""",
                "text/xml"));
        var body = CloudEventJson.ToJson(_envelope);
        _publishBatch = new PublishBatchRequest
        {
            TopicArn = "arn:aws:sns:us-east-1:000000000000:orders",
            PublishBatchRequestEntries = [.. Enumerable.Range(0, 10).Select(i => new PublishBatchRequestEntry
            {
                Id = $"e{i}", Message = body, MessageAttributes = MessageAttributes.For(_envelope),
            })],
        };

        var definition = SystemDefinitionLoader.Load(Path.Combine(AppContext.BaseDirectory, "pubsub.json"));
        var settings = new PublisherSettings("us-east-1", definition.DeadLetterQueues.Publish, "http://sqs.local/dlq");
        var metrics = new StreamPublisherMetrics(new NoMeterFactory());
        var topics = new TopicDirectory(_sns, definition.Topics.ToDictionary(t => t.Name, t => $"arn:aws:sns:us-east-1:000000000000:{t.Name}"));
        _processor = new StreamBatchProcessor(new EventRouter(definition), new TopicPublisher(_sns, topics, settings, metrics, TimeProvider.System),
            new NoDeadLetters(), new NoArchive(), settings, metrics, TimeProvider.System, NullLogger<StreamBatchProcessor>.Instance);
        _records = [.. Enumerable.Range(0, 100).Select(i => new Record
        {
            EventName = OperationType.INSERT,
            Dynamodb = new StreamRecord
            {
                NewImage = EventItem.ToItem(_envelope with { Id = $"evt-{i}" }, TimeSpan.FromDays(30)),
                SequenceNumber = (1000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture),
            },
        })];
        if (!_processor.ProcessAsync(_records, default).Result.AllHandled)
        {
            throw new InvalidOperationException("Every sample record must be published.");
        }
    }

    [Benchmark(Description = "event -> table item (1 KiB event)")]
    public Dictionary<string, AttributeValue> ToItem() => EventItem.ToItem(_envelope, TimeSpan.FromDays(30));

    [Benchmark(Description = "table item -> event -> CloudEvent JSON (a stream record's image)")]
    public byte[] FromItem() => CloudEventJson.ToUtf8Bytes(EventItem.FromItem(_item));

    [Benchmark(Description = "conditional PutItem: request built, signed, answer read")]
    public Task<PutIfAbsentResult> PutItem() => _dynamoDb.PutIfAbsentAsync("pubsub-events", _item, EventItem.Key, default);

    [Benchmark(Description = "PublishBatch of 10 x 1 KiB: request built, signed, answer read")]
    public Task<PublishBatchResponse> PublishBatch() => _sns.PublishBatchAsync(_publishBatch);

    [Benchmark(Description = "stream publisher core, 100 records: decode, route, 10 PublishBatch calls")]
    public Task<StreamBatchResult> StreamBatch() => _processor.ProcessAsync(_records, default);

    [GlobalCleanup]
    public void Dispose()
    {
        _dynamoDb.Dispose();
        _sns.Dispose();
        GC.SuppressFinalize(this);
    }

    /// <summary>Answers every request with the same body, as the service would when all goes well.</summary>
    private sealed class CannedHandler(string body, string contentType) : HttpMessageHandler
    {
        private readonly byte[] _body = Encoding.UTF8.GetBytes(body);

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (request.Content is not null)
            {
                _ = await request.Content.ReadAsByteArrayAsync(cancellationToken); // as the socket would
            }

            var content = new ByteArrayContent(_body);
            content.Headers.TryAddWithoutValidation("Content-Type", contentType);
            return new HttpResponseMessage(HttpStatusCode.OK) { Content = content, RequestMessage = request };
        }
    }

    private sealed class NoDeadLetters : IPublishDeadLetterQueue
    {
        public Task<bool> TrySendAsync(PublishFailure failure, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("The canned SNS never fails.");

        public Task<bool> TrySendRecordAsync(RecordFailure failure, CancellationToken cancellationToken) =>
            throw new InvalidOperationException("The sample records decode.");

        public Task<bool> TrySendArchiveFailureAsync(EventEnvelope envelope, string bucket, string errorCode, string errorMessage,
            CancellationToken cancellationToken) => throw new InvalidOperationException("The archive never fails.");
    }

    private sealed class NoArchive : IEventArchive
    {
        public string Bucket => "archive";

        public Task ArchiveAsync(string publisher, IReadOnlyList<EventEnvelope> events, CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
