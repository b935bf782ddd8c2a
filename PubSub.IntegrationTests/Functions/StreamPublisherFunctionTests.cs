using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using PubSub.Definition;
using PubSub.Functions;
using PubSub.IntegrationTests.Infrastructure;
using PubSub.LambdaRuntime;
using PubSub.StreamPublisher.Lambda;

namespace PubSub.IntegrationTests.Functions;

/// <summary>The stream publisher's Lambda adapter: a DynamoDB Streams event in, messages on the routed
/// topics and the partial batch response out.</summary>
[Collection(AwsEmulatorsCollection.Name)]
public sealed class StreamPublisherFunctionTests(AwsEmulatorsFixture aws)
{
    private static StreamPublisherFunction Function(SystemDefinition definition) => StreamPublisherFunctionFactory.Create(
        new FunctionSettings { Definition = definition, Region = "us-east-1" }, NullLoggerFactory.Instance, TimeProvider.System);

    private static async Task<JsonElement> InvokeAsync(StreamPublisherFunction function, byte[] streamEvent) =>
        JsonDocument.Parse(await function.HandleAsync(
            new LambdaInvocation(Guid.NewGuid().ToString(), DateTimeOffset.UtcNow.AddMinutes(1), null, null, streamEvent), CancellationToken.None)).RootElement;

    [Fact]
    public async Task Inserted_events_reach_the_routed_topics_subscribers_and_no_record_is_reported_failed()
    {
        var (order, customer) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString());

        var response = await InvokeAsync(Function(aws.Definition), StreamEvents.Inserts(
            (TestEvents.Envelope(order), "100000000000000000001"),
            (TestEvents.Envelope(customer, type: "customer.updated", data: """{"customerId":7}"""), "100000000000000000002")));

        Assert.Equal(0, response.GetProperty("batchItemFailures").GetArrayLength());
        Assert.True(await ArrivesAsync("orders-demo", order), "the order event did not reach orders-demo");
        Assert.True(await ArrivesAsync("customers-demo", customer), "the customer event did not reach customers-demo");
    }

    [Fact]
    public async Task A_record_that_can_be_neither_published_nor_dead_lettered_is_reported_by_its_sequence_number()
    {
        // A route to a topic that does not exist, and a publish DLQ that does not exist either.
        var broken = aws.Definition with
        {
            DeadLetterQueues = aws.Definition.DeadLetterQueues with { Publish = "no-such-dlq-" + Guid.NewGuid().ToString("N")[..8] },
            Routes = [new RouteDefinition("nowhere", JsonDocument.Parse("""{"type":["order.created"]}""").RootElement, ["no-such-topic"])],
        };

        var response = await InvokeAsync(Function(broken), StreamEvents.Inserts((TestEvents.Envelope(Guid.NewGuid().ToString()), "200000000000000000007")));

        var failure = Assert.Single(response.GetProperty("batchItemFailures").EnumerateArray());
        Assert.Equal("200000000000000000007", failure.GetProperty("itemIdentifier").GetString());
    }

    private async Task<bool> ArrivesAsync(string queue, string eventId)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while (!deadline.IsCancellationRequested)
        {
            var messages = await QueueReader.ReceiveAsync(aws.Sqs, aws.Resources.QueueUrls[queue], 1, TimeSpan.FromSeconds(2));
            if (messages.Any(m => m.Body.Contains(eventId, StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }
}
