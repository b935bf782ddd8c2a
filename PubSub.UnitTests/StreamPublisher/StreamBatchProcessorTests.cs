using Amazon.DynamoDBStreams;
using Amazon.SimpleNotificationService.Model;
using Record = Amazon.DynamoDBStreams.Model.Record;

namespace PubSub.UnitTests.StreamPublisher;

public sealed class StreamBatchProcessorTests : IDisposable
{
    private readonly StreamPublisherFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    [Fact]
    public async Task Inserted_events_are_routed_by_type_to_their_topics()
    {
        var records = new List<Record>
        {
            StreamPublisherFixture.Insert(StreamPublisherFixture.Event("o1", "order.created"), "1"),
            StreamPublisherFixture.Insert(StreamPublisherFixture.Event("c1", "customer.created"), "2"),
            StreamPublisherFixture.Insert(StreamPublisherFixture.Event("x1", "misc.thing"), "3"),
            StreamPublisherFixture.Insert(StreamPublisherFixture.Event("o2", "order.paid"), "4"),
        };

        var result = await _fixture.Processor.ProcessAsync(records, CancellationToken.None);

        Assert.True(result.AllHandled);
        Assert.Equal(["o1", "o2"], _fixture.Sns.Published("orders").Select(e => e.MessageAttributes["id"].StringValue));
        Assert.Equal(["c1"], _fixture.Sns.Published("customers").Select(e => e.MessageAttributes["id"].StringValue));
        Assert.Equal(["x1"], _fixture.Sns.Published("unrouted").Select(e => e.MessageAttributes["id"].StringValue));
    }

    [Fact]
    public async Task Modify_and_remove_records_and_replicas_from_other_regions_are_skipped()
    {
        var insert = StreamPublisherFixture.Insert(StreamPublisherFixture.Event("o1", "order.created"), "1");
        var records = new List<Record>
        {
            insert with { EventName = OperationType.MODIFY },
            insert with { EventName = OperationType.REMOVE },
            StreamPublisherFixture.Insert(StreamPublisherFixture.Event("o2", "order.created", region: "eu-west-1"), "2"),
        };

        var result = await _fixture.Processor.ProcessAsync(records, CancellationToken.None);

        Assert.True(result.AllHandled);
        Assert.Empty(_fixture.Sns.Batches);
    }

    [Fact]
    public async Task An_event_that_cannot_be_published_goes_to_the_dlq_with_its_topic_and_counts_as_handled()
    {
        _fixture.Sns.OnPublishBatch = (request, _) => new PublishBatchResponse
        {
            Failed = [.. request.PublishBatchRequestEntries.Select(e => new BatchResultErrorEntry(e.Id, "InvalidParameter", "bad", true))],
        };

        var result = await _fixture.Processor.ProcessAsync(
            [StreamPublisherFixture.Insert(StreamPublisherFixture.Event("o1", "order.created"), "1")], CancellationToken.None);

        Assert.True(result.AllHandled);
        var failure = Assert.Single(_fixture.DeadLetters.Failures);
        Assert.Equal(("o1", "orders", "InvalidParameter"), (failure.Message.Envelope.Id, failure.Message.Topic, failure.ErrorCode));
    }

    [Fact]
    public async Task When_the_dlq_fails_too_the_record_is_reported_for_retry()
    {
        _fixture.Sns.OnPublishBatch = (_, _) => throw new Amazon.Runtime.AmazonClientException("down");
        _fixture.DeadLetters.Accepts = false;
        var records = new List<Record>
        {
            StreamPublisherFixture.Insert(StreamPublisherFixture.Event("x1", "misc.thing"), "7"),
            StreamPublisherFixture.Insert(StreamPublisherFixture.Event("o1", "order.created"), "8"),
        };

        var result = await _fixture.Processor.ProcessAsync(records, CancellationToken.None);

        Assert.Equal(["7", "8"], result.FailedSequenceNumbers);
    }

    [Fact]
    public async Task A_record_that_is_not_an_event_is_dead_lettered_as_undecodable()
    {
        var record = StreamPublisherFixture.Insert(StreamPublisherFixture.Event("o1", "order.created"), "1");
        record.Dynamodb!.NewImage!.Remove("type");

        var result = await _fixture.Processor.ProcessAsync([record], CancellationToken.None);

        Assert.True(result.AllHandled);
        Assert.Contains("'type'", Assert.Single(_fixture.DeadLetters.Undecodable).Reason, StringComparison.Ordinal);
        Assert.Empty(_fixture.Sns.Batches);
    }
}
