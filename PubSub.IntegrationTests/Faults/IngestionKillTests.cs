using Amazon.DynamoDBv2.Model;
using PubSub.Events;
using PubSub.IntegrationTests.Infrastructure;

namespace PubSub.IntegrationTests.Faults;

/// <summary>The ingestion process killed (SIGKILL) while publishers are sending: every event it had
/// answered 2xx must be in the table or in the ingestion DLQ, because it answers only after one of
/// them took the event.</summary>
[Collection(AwsEmulatorsCollection.Name)]
public sealed class IngestionKillTests(AwsEmulatorsFixture aws)
{
    private const string Key = "kill-test-key-4Gt8Yp1Xc6Wm3Rz9Qs2V";

    [Fact]
    public async Task Every_event_acknowledged_before_the_kill_is_stored()
    {
        await using var host = await ServiceProcess.StartIngestionAsync(aws.Embedded?.EnvironmentVariables, TestEvents.Definition,
            new Dictionary<string, string> { ["demo"] = Key });
        Assert.True(await host.HealthyAsync(), host.Output);
        var load = new PublisherLoad(host.BaseUrl, Key, concurrency: 16);
        await Task.Delay(TimeSpan.FromSeconds(2));
        await host.KillAsync();
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        await load.DisposeAsync();
        var acknowledged = load.Accepted;
        var failedRequests = load.Unanswered;

        var inDlq = await DeadLetteredIdsAsync();
        var lost = new List<string>();
        foreach (var id in acknowledged)
        {
            var item = await aws.DynamoDb.GetItemAsync(new GetItemRequest
            {
                TableName = aws.Definition.Events.Table,
                Key = new() { [EventItem.Key] = new AttributeValue { S = EventItem.KeyOf("demo", id) } },
                ConsistentRead = true,
            });
            if (item.Item is not { Count: > 0 } && !inDlq.Contains(id))
            {
                lost.Add(id);
            }
        }

        Console.WriteLine($"accounting: acknowledged {acknowledged.Count}, requests without an answer {failedRequests}, " +
                          $"stored or dead-lettered {acknowledged.Count - lost.Count}, lost {lost.Count}");
        Assert.True(acknowledged.Count > 50, $"only {acknowledged.Count} events were acknowledged before the kill");
        Assert.True(failedRequests > 0, "the kill came after the senders stopped; nothing was in flight");
        Assert.Empty(lost);
    }

    /// <summary>Ids in the ingestion DLQ (looked at, left there).</summary>
    private async Task<HashSet<string>> DeadLetteredIdsAsync()
    {
        var url = aws.Resources.QueueUrls[aws.Definition.DeadLetterQueues.Ingestion];
        var response = await aws.Sqs.ReceiveMessageAsync(new Amazon.SQS.Model.ReceiveMessageRequest { QueueUrl = url, MaxNumberOfMessages = 10, VisibilityTimeout = 0 });
        return [.. (response.Messages ?? []).Select(m => PubSub.Operations.DeadLetterBody.Read(m.Body).EventId ?? "")];
    }
}
