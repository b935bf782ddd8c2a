using Amazon.SimpleNotificationService.Model;
using PubSub.DeadLetters;
using PubSub.Definition;
using PubSub.Json;
using Record = Amazon.DynamoDBStreams.Model.Record;

namespace PubSub.UnitTests.StreamPublisher;

/// <summary>A failure of one record is that record's: it is dead-lettered with a reason, and the
/// records around it are published as usual.</summary>
public sealed class RecordFailureTests : IDisposable
{
    private readonly StreamPublisherFixture _fixture = new(WithRouteOnDataX());

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task An_event_with_an_escaped_lone_surrogate_that_a_route_reads_is_dead_lettered_as_unroutable()
    {
        var poisoned = StreamPublisherFixture.Event("p1", "order.created") with { Data = JsonPayload.FromString("""{"x":"\udc00"}""") };
        var records = new List<Record>
        {
            StreamPublisherFixture.Insert(poisoned, "1"),
            StreamPublisherFixture.Insert(StreamPublisherFixture.Event("o1", "order.created"), "2"),
        };

        var result = await _fixture.Processor.ProcessAsync(records, CancellationToken.None);

        Assert.True(result.AllHandled);
        var letter = Assert.Single(_fixture.DeadLetters.Records);
        Assert.Equal((DeadLetterReason.Unroutable, "p1"), (letter.Reason, letter.Envelope?.Id));
        Assert.Equal(["o1"], _fixture.Sns.Published("orders").Select(e => e.MessageAttributes["id"].StringValue));
    }

    [Fact]
    public async Task Any_exception_while_decoding_a_record_dead_letters_it_as_undecodable()
    {
        var record = StreamPublisherFixture.Insert(StreamPublisherFixture.Event("o1", "order.created"), "1");
        record.Dynamodb!.NewImage!["receivedAt"] = new Amazon.DynamoDBv2.Model.AttributeValue { S = "not a time" };

        var result = await _fixture.Processor.ProcessAsync(
            [record, StreamPublisherFixture.Insert(StreamPublisherFixture.Event("o2", "order.created"), "2")], CancellationToken.None);

        Assert.True(result.AllHandled);
        Assert.Equal(DeadLetterReason.UndecodableRecord, Assert.Single(_fixture.DeadLetters.Records).Reason);
        Assert.Equal(["o2"], _fixture.Sns.Published("orders").Select(e => e.MessageAttributes["id"].StringValue));
    }

    [Fact]
    public async Task A_message_over_the_sns_size_limit_is_dead_lettered_as_undeliverable_without_a_call()
    {
        var big = StreamPublisherFixture.Event("big", "order.created") with
        {
            Data = JsonPayload.FromString($$"""{"x":"{{new string('a', 262_144)}}"}"""),
        };

        var result = await _fixture.Processor.ProcessAsync([StreamPublisherFixture.Insert(big, "1")], CancellationToken.None);

        Assert.True(result.AllHandled);
        var failure = Assert.Single(_fixture.DeadLetters.Failures);
        Assert.Equal((DeadLetterReason.Undeliverable, "orders"), (failure.Reason, failure.Message.Topic));
        Assert.Empty(_fixture.Sns.Batches);
    }

    [Fact]
    public async Task A_message_with_characters_sns_refuses_in_an_attribute_is_dead_lettered_as_undeliverable()
    {
        var bad = StreamPublisherFixture.Event("bad", "order.created") with { Subject = "a\u0001b" };

        var result = await _fixture.Processor.ProcessAsync([StreamPublisherFixture.Insert(bad, "1")], CancellationToken.None);

        Assert.True(result.AllHandled);
        Assert.Equal(DeadLetterReason.Undeliverable, Assert.Single(_fixture.DeadLetters.Failures).Reason);
        Assert.Empty(_fixture.Sns.Batches);
    }

    [Fact]
    public async Task A_message_sns_refuses_as_the_sender_s_fault_is_dead_lettered_as_undeliverable()
    {
        _fixture.Sns.OnPublishBatch = (request, _) => new PublishBatchResponse
        {
            Failed = [.. request.PublishBatchRequestEntries.Select(e => new BatchResultErrorEntry(e.Id, "InvalidParameter", "bad", true))],
        };

        await _fixture.Processor.ProcessAsync(
            [StreamPublisherFixture.Insert(StreamPublisherFixture.Event("o1", "order.created"), "1")], CancellationToken.None);

        Assert.Equal(DeadLetterReason.Undeliverable, Assert.Single(_fixture.DeadLetters.Failures).Reason);
    }

    [Fact]
    public async Task A_message_sns_could_not_take_after_retries_is_dead_lettered_as_publish_failed()
    {
        _fixture.Sns.OnPublishBatch = (_, _) => throw new Amazon.Runtime.AmazonClientException("down");

        await _fixture.Processor.ProcessAsync(
            [StreamPublisherFixture.Insert(StreamPublisherFixture.Event("o1", "order.created"), "1")], CancellationToken.None);

        Assert.Equal(DeadLetterReason.PublishFailed, Assert.Single(_fixture.DeadLetters.Failures).Reason);
    }

    [Fact]
    public async Task An_event_from_a_region_neither_this_one_nor_a_replica_is_dead_lettered_not_skipped()
    {
        var records = new List<Record>
        {
            StreamPublisherFixture.Insert(StreamPublisherFixture.Event("r1", "order.created", region: "unknown"), "1"),
            StreamPublisherFixture.Insert(StreamPublisherFixture.Event("r2", "order.created", region: "eu-west-1"), "2"),
        };

        var result = await _fixture.Processor.ProcessAsync(records, CancellationToken.None);

        Assert.True(result.AllHandled);
        var letter = Assert.Single(_fixture.DeadLetters.Records);
        Assert.Equal((DeadLetterReason.UnknownOriginRegion, "r1"), (letter.Reason, letter.Envelope?.Id));
        Assert.Empty(_fixture.Sns.Batches); // the replica region's event is skipped silently
    }

    [Fact]
    public async Task A_record_the_poller_isolated_after_unexpected_failures_is_dead_lettered_as_processing_failed()
    {
        var record = StreamPublisherFixture.Insert(StreamPublisherFixture.Event("o1", "order.created"), "1");

        Assert.True(await _fixture.Processor.DeadLetterAsync(record, new InvalidOperationException("a bug"), CancellationToken.None));

        var letter = Assert.Single(_fixture.DeadLetters.Records);
        Assert.Equal((DeadLetterReason.ProcessingFailed, "o1"), (letter.Reason, letter.Envelope?.Id));
    }

    [Fact]
    public async Task A_cancelled_batch_is_not_dead_lettered()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _fixture.Processor.ProcessAsync(
            [StreamPublisherFixture.Insert(StreamPublisherFixture.Event("o1", "order.created"), "1")], cancelled.Token));

        Assert.Empty(_fixture.DeadLetters.Records);
        Assert.Empty(_fixture.DeadLetters.Failures);
    }

    private static SystemDefinition WithRouteOnDataX()
    {
        var definition = SystemDefinitionLoader.Load(Path.Combine(AppContext.BaseDirectory, "pubsub.json"));
        var route = SystemDefinitionLoader.Parse("""
            {
              "name": "t",
              "events": { "table": "t-events", "retentionDays": 7, "archiveBucket": "t-archive" },
              "deadLetterQueues": { "ingestion": "t-in", "publish": "t-out" },
              "topics": [ { "name": "orders" } ],
              "routes": [ { "name": "x", "pattern": { "data": { "x": [ { "prefix": "y" } ] } }, "topics": [ "orders" ] } ]
            }
            """).Routes[0];
        return definition with { Routes = [route, .. definition.Routes] };
    }
}
