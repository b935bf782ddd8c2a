using System.Diagnostics;
using Amazon.Runtime;
using Amazon.SimpleNotificationService.Model;
using PubSub.Events;
using PubSub.Json;
using PubSub.StreamPublisher.Core;
using PubSub.UnitTests.Fakes;

namespace PubSub.UnitTests.StreamPublisher;

public sealed class TopicPublisherTests : IDisposable
{
    private readonly StreamPublisherFixture _fixture = new();

    public void Dispose() => _fixture.Dispose();

    private static List<PendingMessage> Messages(int count, int dataBytes = 10) =>
    [
        .. Enumerable.Range(0, count).Select(i =>
        {
            var envelope = StreamPublisherFixture.Event($"e{i}", "order.created") with { Data = JsonPayload.FromString($"\"{new string('x', dataBytes)}\"") };
            return new PendingMessage(i, envelope, "orders", CloudEventJson.ToJson(envelope), default(ActivityContext));
        }),
    ];

    [Fact]
    public async Task Messages_go_out_in_batches_of_ten()
    {
        var failures = await _fixture.Publisher.PublishAsync("orders", Messages(25), CancellationToken.None);

        Assert.Empty(failures);
        Assert.Equal([10, 10, 5], _fixture.Sns.Batches.Select(b => b.PublishBatchRequestEntries.Count));
        Assert.Equal(25, _fixture.Sns.Published("orders").Select(e => e.Message).Distinct().Count());
    }

    [Fact]
    public async Task A_batch_never_exceeds_256_KiB()
    {
        var failures = await _fixture.Publisher.PublishAsync("orders", Messages(5, dataBytes: 100 * 1024), CancellationToken.None);

        Assert.Empty(failures);
        Assert.Equal([2, 2, 1], _fixture.Sns.Batches.Select(b => b.PublishBatchRequestEntries.Count));
    }

    [Fact]
    public async Task Every_message_carries_the_attributes_subscribers_filter_on()
    {
        await _fixture.Publisher.PublishAsync("orders", Messages(1), CancellationToken.None);

        var entry = Assert.Single(_fixture.Sns.Published("orders"));
        Assert.Equal(["id", "type", "source", "publisher"], entry.MessageAttributes.Keys);
        Assert.Equal("order.created", entry.MessageAttributes["type"].StringValue);
        Assert.Null(entry.MessageGroupId); // a standard topic
    }

    [Fact]
    public async Task Only_the_failed_entries_of_a_partial_batch_are_retried()
    {
        _fixture.Sns.OnPublishBatch = (request, call) => call == 1
            ? new PublishBatchResponse
            {
                Successful = [.. request.PublishBatchRequestEntries.Skip(1).Select(e => new PublishBatchResultEntry(e.Id, "m", null))],
                Failed = [new BatchResultErrorEntry(request.PublishBatchRequestEntries[0].Id, "InternalError", "retry me", SenderFault: false)],
            }
            : FakeSns.AllSucceeded(request);

        var failures = await _fixture.Publisher.PublishAsync("orders", Messages(3), CancellationToken.None);

        Assert.Empty(failures);
        Assert.Equal([3, 1], _fixture.Sns.Batches.Select(b => b.PublishBatchRequestEntries.Count));
        Assert.Contains("\"id\":\"e0\"", _fixture.Sns.Batches[1].PublishBatchRequestEntries[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sender_fault_is_not_retried_and_comes_back_as_a_failure()
    {
        _fixture.Sns.OnPublishBatch = (request, _) => new PublishBatchResponse
        {
            Failed = [.. request.PublishBatchRequestEntries.Select(e => new BatchResultErrorEntry(e.Id, "InvalidParameter", "too big", SenderFault: true))],
        };

        var failures = await _fixture.Publisher.PublishAsync("orders", Messages(2), CancellationToken.None);

        Assert.Single(_fixture.Sns.Batches);
        Assert.Equal(["InvalidParameter", "InvalidParameter"], failures.Select(f => f.ErrorCode));
        Assert.All(failures, f => Assert.Equal(FakeSns.ArnOf("orders"), f.TopicArn));
    }

    [Fact]
    public async Task A_failed_call_is_not_retried_again_by_the_publisher_since_the_client_retried_it()
    {
        _fixture.Sns.OnPublishBatch = (_, _) => throw new AmazonClientException("connection refused");

        var failures = await _fixture.Publisher.PublishAsync("orders", Messages(2), CancellationToken.None);

        Assert.Single(_fixture.Sns.Batches);
        Assert.Equal(2, failures.Count);
        Assert.All(failures, f => Assert.Equal(("Unreachable", 1), (f.ErrorCode, f.Attempts)));
    }

    [Fact]
    public async Task Failed_entries_are_sent_again_only_while_the_budget_lasts()
    {
        _fixture.Sns.OnPublishBatch = (request, _) => new PublishBatchResponse
        {
            Failed = [.. request.PublishBatchRequestEntries.Select(e => new BatchResultErrorEntry(e.Id, "InternalError", "later", SenderFault: false))],
        };
        var settings = StreamPublisherFixture.DefaultSettings with { MaxPublishAttempts = 50, PublishReserve = TimeSpan.Zero };
        var publisher = new TopicPublisher(_fixture.Sns, _fixture.Topics, settings, new StreamPublisherMetrics(new TestMeterFactory()),
            TimeProvider.System);
        var clock = Stopwatch.StartNew();

        using (PubSub.Aws.CallDeadline.Until(DateTimeOffset.UtcNow + TimeSpan.FromSeconds(1)))
        {
            var failures = await publisher.PublishAsync("orders", Messages(2), CancellationToken.None);

            Assert.Equal(["InternalError", "InternalError"], failures.Select(f => f.ErrorCode));
        }

        Assert.InRange(clock.Elapsed, TimeSpan.FromSeconds(0.9), TimeSpan.FromSeconds(5)); // 50 attempts with backoff would take far longer
        Assert.InRange(_fixture.Sns.Batches.Count, 2, 10);
    }

    [Fact]
    public async Task An_unknown_topic_fails_every_message_without_publishing()
    {
        var failures = await _fixture.Publisher.PublishAsync("nope", Messages(2), CancellationToken.None);

        Assert.Empty(_fixture.Sns.Batches);
        Assert.All(failures, f => Assert.Equal("TopicNotFound", f.ErrorCode));
    }
}
