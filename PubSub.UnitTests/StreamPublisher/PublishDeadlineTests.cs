using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using PubSub.Aws;
using Amazon.SimpleNotificationService;
using PubSub.Aws.SimpleNotificationService;
using PubSub.Definition;
using PubSub.Routing;
using PubSub.StreamPublisher.Core;
using PubSub.UnitTests.Fakes;

namespace PubSub.UnitTests.StreamPublisher;

/// <summary>The stream publisher's core with SNS behind a service that never answers: every record is
/// dead-lettered before the invocation's deadline, and the batch is reported handled.</summary>
public sealed class PublishDeadlineTests : IDisposable
{
    private static readonly TimeSpan Budget = TimeSpan.FromSeconds(8);
    private readonly HangingEndpoint _hanging = new();
    private readonly AmazonSimpleNotificationServiceClient _sns;

    public PublishDeadlineTests() => _sns = _hanging.SnsClient();

    public void Dispose()
    {
        _sns.Dispose();
        _hanging.Dispose();
    }

    [Fact]
    public async Task Records_are_dead_lettered_before_the_deadline_when_SNS_hangs()
    {
        var definition = SystemDefinitionLoader.Load(Path.Combine(AppContext.BaseDirectory, "pubsub.json"));
        using var topics = new TopicDirectory(_sns, definition.Topics.ToDictionary(t => t.Name, t => $"arn:aws:sns:us-east-1:000000000000:{t.Name}"));
        var settings = StreamPublisherFixture.DefaultSettings with { PublishReserve = TimeSpan.FromSeconds(3) };
        var metrics = new StreamPublisherMetrics(new TestMeterFactory());
        var deadLetters = new FakeDeadLetterQueue();
        var processor = new StreamBatchProcessor(new EventRouter(definition),
            new TopicPublisher(_sns, topics, settings, metrics, TimeProvider.System), deadLetters, new FakeArchive(), settings, metrics,
            TimeProvider.System, NullLogger<StreamBatchProcessor>.Instance);
        var records = Enumerable.Range(0, 25)
            .Select(i => StreamPublisherFixture.Insert(StreamPublisherFixture.Event($"e{i}", "order.created"), $"{i:D5}"))
            .ToList();

        var clock = Stopwatch.StartNew();
        using var hardStop = new CancellationTokenSource(Budget - TimeSpan.FromSeconds(0.5));
        using var deadline = CallDeadline.Until(DateTimeOffset.UtcNow + Budget - AwsTimeouts.AnswerReserve);
        var result = await processor.ProcessAsync(records, hardStop.Token).WaitAsync(TimeSpan.FromSeconds(60));

        Assert.True(clock.Elapsed < Budget - AwsTimeouts.AnswerReserve, $"answered after {clock.Elapsed}");
        Assert.True(result.AllHandled);
        Assert.Equal(25, deadLetters.Failures.Select(f => f.Message.Envelope.Id).Distinct().Count());
    }
}
