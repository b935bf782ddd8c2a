namespace PubSub.IntegrationTests.Faults;

/// <summary>The stream publisher killed (SIGKILL) while it publishes, and started again: it resumes from
/// the position it saved after its last whole batch, so nothing is lost and only the batch in hand at
/// the kill can be published twice.</summary>
public sealed class StreamPublisherKillTests
{
    [Fact]
    public async Task A_killed_stream_publisher_loses_nothing_and_repeats_at_most_the_batch_in_hand()
    {
        await using var stack = await FaultStack.StartAsync();
        await using var subscriber = new SubscriberCollector(stack.Sqs, stack.SubscriberQueueUrl);
        var load = new PublisherLoad(stack.Ingestion.BaseUrl, FaultStack.ApiKey, concurrency: 8);
        await load.WaitForAcceptedAsync(300, TimeSpan.FromSeconds(60));
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(60);
        while (subscriber.Received.Count < 100 && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(20); // mid-stream: publishing is under way
        }

        await stack.StreamPublisher.KillAsync();
        var deliveredAtKill = subscriber.Received.Count;
        await load.WaitForAcceptedAsync(load.Accepted.Count + 200, TimeSpan.FromSeconds(60)); // stored while no publisher runs
        await stack.StartStreamPublisherAsync();
        await load.WaitForAcceptedAsync(load.Accepted.Count + 200, TimeSpan.FromSeconds(60));
        await load.StopAsync();

        var accepted = load.Accepted.ToHashSet(StringComparer.Ordinal);
        var allArrived = await subscriber.WaitForAllAsync(accepted, TimeSpan.FromSeconds(120));
        await subscriber.SettleAsync(TimeSpan.FromSeconds(2));

        var accounting = await Accounting.CountAsync("stream publisher killed", load, stack, subscriber,
            await stack.QueueDepthAsync(stack.PublishDeadLetterQueueUrl), replayed: 0);
        Console.WriteLine($"{accounting}; delivered before the kill {deliveredAtKill}, checkpoint window {FaultStack.StreamBatchSize} records");
        Assert.True(allArrived, accounting + Environment.NewLine + stack.StreamPublisher.Output);
        Assert.Equal(0, accounting.Lost);
        Assert.InRange(accounting.Duplicates, 0, FaultStack.StreamBatchSize);
        Assert.Equal(0, accounting.DeadLettered);
        Assert.Equal(accepted.Count, accounting.Stored);
        Assert.All(subscriber.Received.Keys, id => Assert.Contains(id, accepted));
    }
}
