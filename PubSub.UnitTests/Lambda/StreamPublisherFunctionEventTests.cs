using System.Text;
using System.Text.Json;
using PubSub.Aws.DynamoDBStreams;
using PubSub.LambdaRuntime;
using PubSub.StreamPublisher.Lambda;
using PubSub.UnitTests.StreamPublisher;

namespace PubSub.UnitTests.Lambda;

/// <summary>The stream publisher's Lambda adapter against DynamoDB Streams events in every shape AWS
/// documents (fixtures under <c>Lambda/StreamEvents</c>, written by us from the documented shapes): items
/// that are not events of ours are dead-lettered, updates and deletions skipped, and no shape fails the batch.</summary>
public sealed class StreamPublisherFunctionEventTests : IDisposable
{
    private static readonly DateTimeOffset Documented = DateTimeOffset.FromUnixTimeSeconds(1480642020);
    private readonly StreamPublisherFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    public static TheoryData<string> Fixtures() => [.. Directory.GetFiles(Path.Combine(AppContext.BaseDirectory, "Lambda", "StreamEvents"), "*.json")
        .Select(f => Path.GetFileName(f)!).Order(StringComparer.Ordinal)];

    [Theory]
    [MemberData(nameof(Fixtures))]
    public async Task Every_documented_shape_is_handled_without_failing_a_record(string fixture)
    {
        var response = await InvokeAsync(await File.ReadAllBytesAsync(Path.Combine(AppContext.BaseDirectory, "Lambda", "StreamEvents", fixture)));

        Assert.Equal(0, response.GetProperty("batchItemFailures").GetArrayLength());
        Assert.All(_fixture.DeadLetters.Records, r => Assert.Equal("INSERT", r.Record.EventName?.Value)); // updates and deletions are skipped
        Assert.Empty(_fixture.Sns.Batches);
    }

    [Theory]
    [InlineData("insert-modify-remove.json", 0)]
    [InlineData("timestamps-in-milliseconds.json", 0)]
    [InlineData("timestamps-in-fractional-seconds.json", 123)]
    public void Approximate_creation_times_are_read_in_seconds_fractional_seconds_and_milliseconds(string fixture, int milliseconds)
    {
        var streamEvent = StreamRecordJson.DeserializeEvent(File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Lambda", "StreamEvents", fixture)));

        Assert.All(streamEvent.Records, r => Assert.Equal(Documented.AddMilliseconds(milliseconds), r.Dynamodb!.ApproximateCreationDateTime));
    }

    [Fact]
    public void A_time_out_of_range_or_not_a_number_reads_as_no_time()
    {
        var streamEvent = StreamRecordJson.DeserializeEvent(
            File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Lambda", "StreamEvents", "timestamps-out-of-range.json")));

        Assert.All(streamEvent.Records, r => Assert.Null(r.Dynamodb!.ApproximateCreationDateTime));
    }

    [Fact]
    public void A_ttl_deletion_names_the_dynamodb_service()
    {
        var record = Assert.Single(StreamRecordJson.DeserializeEvent(
            File.ReadAllBytes(Path.Combine(AppContext.BaseDirectory, "Lambda", "StreamEvents", "ttl-deletion.json"))).Records);

        Assert.Equal(("Service", "dynamodb.amazonaws.com", "OLD_IMAGE"), (record.UserIdentity?.Type, record.UserIdentity?.PrincipalId, record.Dynamodb?.StreamViewType));
    }

    [Fact]
    public async Task One_of_our_events_in_a_record_with_a_millisecond_time_is_published()
    {
        var record = StreamPublisherFixture.Insert(StreamPublisherFixture.Event("o1", "order.created"), "1");
        var json = Encoding.UTF8.GetBytes($$"""{"Records":[{{StreamRecordJson.Serialize(record with { Dynamodb = record.Dynamodb! with
            { ApproximateCreationDateTime = Documented } }).Replace("1480642020", "1480642020000", StringComparison.Ordinal)}}]}""");

        var response = await InvokeAsync(json);

        Assert.Equal(0, response.GetProperty("batchItemFailures").GetArrayLength());
        Assert.Equal(["o1"], _fixture.Sns.Published("orders").Select(e => e.MessageAttributes["id"].StringValue));
    }

    private async Task<JsonElement> InvokeAsync(byte[] streamEvent)
    {
        var function = new StreamPublisherFunction(_fixture.Processor);
        var body = await function.HandleAsync(
            new LambdaInvocation("r-1", DateTimeOffset.UtcNow.AddMinutes(1), null, null, streamEvent), CancellationToken.None);
        return JsonDocument.Parse(body).RootElement.Clone();
    }
}
