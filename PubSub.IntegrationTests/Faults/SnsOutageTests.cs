namespace PubSub.IntegrationTests.Faults;

/// <summary>SNS gone while events stream through: the stream publisher puts what it cannot publish on
/// the publish DLQ and goes on; SNS comes back; a replay publishes the dead letters; every accepted
/// event reaches the subscriber queue.</summary>
/// <remarks>fauxqs serves SNS, SQS and S3 from one process, so killing it would also take the DLQ and
/// the subscriber queues (separate services in AWS) with it. The outage is made at SNS's endpoint
/// instead: the stream publisher reaches SNS through a proxy that stops listening and resets its
/// connections, which is what a dead SNS looks like from the caller's side.</remarks>
public sealed class SnsOutageTests
{
    [Fact]
    public async Task Every_accepted_event_reaches_its_subscriber_after_SNS_comes_back_and_the_DLQ_is_replayed()
    {
        TcpOutageProxy? proxy = null;
        await using var stack = await FaultStack.StartAsync(s =>
        {
            proxy = new TcpOutageProxy(s.Emulators.MessagingEndpoint);
            return new Dictionary<string, string> { ["AWS_ENDPOINT_URL_SNS"] = proxy.Endpoint.ToString().TrimEnd('/') };
        });
        await using var sns = proxy!;
        await using var subscriber = new SubscriberCollector(stack.Sqs, stack.SubscriberQueueUrl);
        var load = new PublisherLoad(stack.Ingestion.BaseUrl, FaultStack.ApiKey, concurrency: 8);
        await load.WaitForAcceptedAsync(200, TimeSpan.FromSeconds(60));
        await WaitAsync(() => !subscriber.Received.IsEmpty, "nothing was published before the outage");

        await sns.DownAsync();
        await WaitAsync(async () => await stack.QueueDepthAsync(stack.PublishDeadLetterQueueUrl) >= 20,
            "the stream publisher did not dead-letter what it could not publish");
        await load.StopAsync();
        var accepted = load.Accepted.ToHashSet(StringComparer.Ordinal);

        // Everything accepted is either delivered or dead-lettered before SNS comes back.
        await WaitAsync(async () => subscriber.Received.Count + await stack.QueueDepthAsync(stack.PublishDeadLetterQueueUrl) >= accepted.Count,
            "the stream publisher did not get through the stream during the outage");
        var deadLettered = await stack.QueueDepthAsync(stack.PublishDeadLetterQueueUrl);
        sns.Up();
        var replayed = await stack.ReplayAsync("publish");
        var allArrived = await subscriber.WaitForAllAsync(accepted, TimeSpan.FromSeconds(60));
        await subscriber.SettleAsync(TimeSpan.FromSeconds(2));

        var accounting = await Accounting.CountAsync("SNS endpoint down", load, stack, subscriber, deadLettered, replayed);
        Console.WriteLine(accounting);
        Assert.True(allArrived, accounting + Environment.NewLine + stack.StreamPublisher.Output);
        Assert.Equal(0, accounting.Lost);
        Assert.Equal(deadLettered, replayed);
        Assert.Equal(accepted.Count, accounting.Stored);
        Assert.All(subscriber.Received.Keys, id => Assert.Contains(id, accepted));
        Assert.Equal(0, await stack.QueueDepthAsync(stack.PublishDeadLetterQueueUrl));
    }

    private static Task WaitAsync(Func<bool> condition, string failure) => WaitAsync(() => Task.FromResult(condition()), failure);

    private static async Task WaitAsync(Func<Task<bool>> condition, string failure)
    {
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(90);
        while (!await condition())
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException(failure);
            }

            await Task.Delay(100);
        }
    }
}
