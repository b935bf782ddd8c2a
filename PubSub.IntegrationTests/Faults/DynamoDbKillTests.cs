namespace PubSub.IntegrationTests.Faults;

/// <summary>DynamoDB Local killed (SIGKILL) while publishers send: the ingestion service puts what it
/// cannot store on its DLQ and still answers 202; the emulator comes back with its data; a replay
/// writes the dead letters to the table; the stream publisher resumes from its checkpoint; every
/// accepted event reaches the subscriber queue.</summary>
public sealed class DynamoDbKillTests
{
    [Fact]
    public async Task Every_accepted_event_reaches_its_subscriber_after_the_table_comes_back_and_the_DLQ_is_replayed()
    {
        await using var stack = await FaultStack.StartAsync();
        await using var subscriber = new SubscriberCollector(stack.Sqs, stack.SubscriberQueueUrl);
        var load = new PublisherLoad(stack.Ingestion.BaseUrl, FaultStack.ApiKey, concurrency: 8);
        await load.WaitForAcceptedAsync(200, TimeSpan.FromSeconds(60));
        await stack.Emulators.KillDynamoDbAsync();
        var acceptedBeforeKill = load.Accepted.Count;
        await load.WaitForAcceptedAsync(acceptedBeforeKill + 200, TimeSpan.FromSeconds(60)); // now via the DLQ
        await load.StopAsync();
        var deadLettered = await stack.QueueDepthAsync(stack.IngestionDeadLetterQueueUrl);

        await stack.Emulators.StartDynamoDbAsync();
        var replayed = await stack.ReplayAsync("ingestion");
        var accepted = load.Accepted.ToHashSet(StringComparer.Ordinal);
        var allArrived = await subscriber.WaitForAllAsync(accepted, TimeSpan.FromSeconds(120));
        await subscriber.SettleAsync(TimeSpan.FromSeconds(2));

        var accounting = await Accounting.CountAsync("DynamoDB Local killed", load, stack, subscriber, deadLettered, replayed);
        Console.WriteLine(accounting);
        Assert.True(allArrived, accounting + Environment.NewLine + stack.StreamPublisher.Output);
        Assert.Equal(0, accounting.Lost);
        Assert.True(deadLettered > 0, "the kill should have sent events to the ingestion DLQ: " + accounting);
        Assert.Equal(deadLettered, replayed);
        Assert.Equal(accepted.Count, accounting.Stored);
        Assert.All(subscriber.Received.Keys, id => Assert.Contains(id, accepted)); // nothing unacknowledged was published
        Assert.Equal(0, await stack.QueueDepthAsync(stack.IngestionDeadLetterQueueUrl));
    }
}
