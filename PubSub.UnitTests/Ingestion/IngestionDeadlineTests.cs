using System.Diagnostics;
using System.Text;
using Amazon.DynamoDBv2;
using Amazon.SQS;
using Microsoft.Extensions.Logging.Abstractions;
using PubSub.Aws;
using PubSub.Aws.DynamoDB;
using PubSub.Definition;
using PubSub.Ingestion.Core;
using PubSub.Ingestion.Core.Storage;
using PubSub.UnitTests.Fakes;

namespace PubSub.UnitTests.Ingestion;

/// <summary>The ingestion core with the Events table (and the DLQ) behind a service that never answers:
/// the answer still comes before the deadline the adapter gave.</summary>
public sealed class IngestionDeadlineTests : IDisposable
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(6);
    private readonly HangingEndpoint _dynamoDb = new();
    private readonly HangingEndpoint _sqs = new();
    private readonly EventStoreSettings _storeSettings = new("events", TimeSpan.FromDays(1), "us-east-1");
    private readonly DynamoDbConditionalWriter _writer;

    public IngestionDeadlineTests() => _writer = new DynamoDbConditionalWriter(
        new AmazonDynamoDBConfig { ServiceURL = _dynamoDb.Url, AuthenticationRegion = "us-east-1" },
        TestClients.Credentials, timeProvider: TimeProvider.System);

    public void Dispose()
    {
        _writer.Dispose();
        _dynamoDb.Dispose();
        _sqs.Dispose();
    }

    private EventIngestor Ingestor(IIngestionDeadLetterQueue deadLetters)
    {
        var definition = SystemDefinitionLoader.Load(Path.Combine(AppContext.BaseDirectory, "pubsub.json"));
        return new EventIngestor(new DynamoDbEventStore(_writer, _storeSettings, TimeProvider.System), deadLetters,
            new FixedIngestionSettings(new IngestionSettings(definition, FingerprintKey.Development)), _storeSettings, new RecordingAlertSink(),
            new IngestionMetrics(new TestMeterFactory()), TimeProvider.System, NullLogger<EventIngestor>.Instance);
    }

    /// <summary>As the Lambda host does it: the deadline current, and the token cancelled shortly before it.</summary>
    private static async Task<(IngestionResult Result, TimeSpan Elapsed)> IngestBeforeDeadlineAsync(EventIngestor ingestor)
    {
        var clock = Stopwatch.StartNew();
        using var hardStop = new CancellationTokenSource(Budget - TimeSpan.FromSeconds(0.5));
        using var deadline = CallDeadline.Until(DateTimeOffset.UtcNow + Budget - AwsTimeouts.AnswerReserve);
        var body = Encoding.UTF8.GetBytes("""{"specversion":"1.0","id":"e1","source":"shop","type":"order.created","data":{"orderId":1}}""");
        var response = await ingestor.IngestAsync(new IngestionRequest("demo", "application/cloudevents+json",
            new Dictionary<string, string>(), body), hardStop.Token).WaitAsync(TimeSpan.FromSeconds(30));
        return (Assert.IsType<IngestionResponse.One>(response).Result, clock.Elapsed);
    }

    [Fact]
    public async Task An_event_reaches_the_DLQ_before_the_deadline_when_DynamoDB_hangs()
    {
        var deadLetters = new FakeIngestionDeadLetterQueue();

        var (result, elapsed) = await IngestBeforeDeadlineAsync(Ingestor(deadLetters));

        Assert.Equal(new IngestionResult.Accepted("e1", DeadLettered: true), result);
        Assert.Single(deadLetters.Messages);
        Assert.True(elapsed < Budget - AwsTimeouts.AnswerReserve, $"answered after {elapsed}");
        Assert.InRange(_dynamoDb.Connections, 1, AwsTimeouts.MaxAttempts);
    }

    [Fact]
    public async Task The_answer_is_a_503_before_the_deadline_when_DynamoDB_and_the_DLQ_both_hang()
    {
        using var sqs = new AmazonSQSClient(TestClients.Credentials,
            AwsTimeouts.Apply(new AmazonSQSConfig { ServiceURL = _sqs.Url, AuthenticationRegion = "us-east-1" }));
        var deadLetters = new SqsIngestionDeadLetterQueue(sqs, new IngestionDeadLetterSettings("dlq", _sqs.Url + "000000000000/dlq"),
            _storeSettings, TimeProvider.System);

        var (result, elapsed) = await IngestBeforeDeadlineAsync(Ingestor(deadLetters));

        var rejected = Assert.IsType<IngestionResult.Rejected>(result);
        Assert.Equal(503, rejected.Problem.Status);
        Assert.True(elapsed < Budget - TimeSpan.FromSeconds(0.5), $"answered after {elapsed}");
        Assert.NotEqual(0, _sqs.Connections);
    }
}
