using System.Net;
using System.Reflection;
using System.Runtime.ExceptionServices;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2.Model;
using Amazon.SQS;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PubSub.Aws;
using PubSub.DeadLetters;
using PubSub.Definition;
using PubSub.Events;
using PubSub.IntegrationTests.Infrastructure;
using PubSub.Json;
using PubSub.Operations;

namespace PubSub.IntegrationTests.StreamPublisher;

/// <summary>A stored event that breaks routing (issue 12, point 1: an escaped lone surrogate that a route
/// reads) no longer stops the local poller's host: the record is dead-lettered as <c>unroutable</c> and the
/// next event is delivered. An unexpected failure of a batch (here the DLQ throwing) is retried, not fatal.</summary>
[Collection(AwsEmulatorsCollection.Name)]
public sealed class PoisonedRecordTests(AwsEmulatorsFixture aws) : IDisposable
{
    private const string Topic = "poison-it";
    private const string Queue = "poison-it-demo";
    private const string DeadLetterQueue = "poison-it-dlq";
    private readonly string _folder = Directory.CreateTempSubdirectory("pubsub-poison-").FullName;

    [Fact]
    public async Task A_poisoned_record_is_dead_lettered_and_the_next_event_is_delivered_by_the_running_poller()
    {
        var (definition, queueUrl, dlqUrl) = await ProvisionAsync();
        var (poisoned, normal) = await StoreAsync(definition);

        using var publisher = new StreamPublisherHostFactory(definition, $"it-checkpoints-{Guid.NewGuid():N}");
        publisher.Start();

        await ReceiveAsync(queueUrl, normal);
        var letter = await ReceiveLetterAsync(dlqUrl, poisoned);
        Assert.Equal((DeadLetterMessage.EventKind, DeadLetterReason.Unroutable, "demo"), (letter.Kind, letter.Reason, letter.Publisher));
        await AssertRunningAsync(publisher);
    }

    [Fact]
    public async Task A_batch_that_fails_unexpectedly_is_retried_and_the_host_keeps_running()
    {
        var (definition, queueUrl, dlqUrl) = await ProvisionAsync();
        var (poisoned, normal) = await StoreAsync(definition);
        var throwing = 2;

        using var publisher = new StreamPublisherHostFactory(definition, $"it-checkpoints-{Guid.NewGuid():N}", services =>
            services.Replace(ServiceDescriptor.Singleton(_ => FlakyDeadLetterSends.Wrap(
                AwsClientFactory.CreateSqs(), () => Interlocked.Decrement(ref throwing) >= 0))));
        publisher.Start();

        await ReceiveAsync(queueUrl, normal);
        Assert.Equal(DeadLetterReason.Unroutable, (await ReceiveLetterAsync(dlqUrl, poisoned)).Reason);
        Assert.True(throwing < 0, "the DLQ never threw: the test proves nothing");
        await AssertRunningAsync(publisher);
    }

    private static async Task AssertRunningAsync(StreamPublisherHostFactory publisher)
    {
        var lifetime = publisher.Services.GetRequiredService<Microsoft.Extensions.Hosting.IHostApplicationLifetime>();
        Assert.False(lifetime.ApplicationStopping.IsCancellationRequested, "the stream publisher's host is stopping");
        using var client = publisher.CreateClient();
        using var health = await client.GetAsync(new Uri("/health", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    /// <summary>The poisoned event, then a normal one, written to the table as ingestion stores them.</summary>
    private async Task<(string Poisoned, string Normal)> StoreAsync(string definitionPath)
    {
        var table = SystemDefinitionLoader.Load(definitionPath).Events.Table;
        var (poisoned, normal) = ("poison-" + Guid.NewGuid(), "normal-" + Guid.NewGuid());
        foreach (var (id, data) in new[] { (poisoned, """{"x":"\udc00"}"""), (normal, """{"x":"yes"}""") })
        {
            var envelope = TestEvents.Envelope(id, type: "poison.it") with { Data = JsonPayload.FromString(data) };
            await aws.DynamoDb.PutItemAsync(new PutItemRequest { TableName = table, Item = EventItem.ToItem(envelope, TimeSpan.FromDays(1)) });
        }

        return (poisoned, normal);
    }

    /// <summary>Waits for the event (the stream is read from its start: the other test's events come too).</summary>
    private async Task ReceiveAsync(string queueUrl, string eventId)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!deadline.IsCancellationRequested)
        {
            var messages = await QueueReader.ReceiveAsync(aws.Sqs, queueUrl, 10, TimeSpan.FromSeconds(2));
            if (messages.Any(m => JsonDocument.Parse(m.Body).RootElement.GetProperty("id").GetString() == eventId))
            {
                return;
            }
        }

        throw new Xunit.Sdk.XunitException($"{eventId} was not delivered");
    }

    private async Task<DeadLetterBody> ReceiveLetterAsync(string dlqUrl, string eventId)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (!deadline.IsCancellationRequested)
        {
            foreach (var message in await QueueReader.ReceiveAsync(aws.Sqs, dlqUrl, 10, TimeSpan.FromSeconds(2)))
            {
                var letter = DeadLetterBody.Read(message.Body);
                if (letter.EventId == eventId)
                {
                    return letter;
                }
            }
        }

        throw new Xunit.Sdk.XunitException($"{eventId} never reached the publish DLQ");
    }

    /// <summary>The repository's definition with a route that reads <c>data.x</c> to a topic of this test, its own
    /// publish DLQ, and no unrouted topic (other tests' events in the stream go nowhere).</summary>
    private async Task<(string Definition, string QueueUrl, string DeadLetterQueueUrl)> ProvisionAsync()
    {
        var json = JsonNode.Parse(await File.ReadAllTextAsync(TestEvents.Definition),
            documentOptions: new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true })!.AsObject();
        json["topics"]!.AsArray().Add(new JsonObject { ["name"] = Topic });
        json["routes"] = new JsonArray(new JsonObject
        {
            ["name"] = Topic,
            ["pattern"] = JsonNode.Parse("""{ "type": [ "poison.it" ], "data": { "x": [ { "prefix": "y" } ] } }"""),
            ["topics"] = new JsonArray(Topic),
        });
        json.Remove("unroutedTopic");
        json["deadLetterQueues"]!["publish"] = DeadLetterQueue;
        json["subscriptions"]!.AsArray().Add(JsonNode.Parse($$"""
            { "topic": "{{Topic}}", "protocol": "sqs", "endpoint": "{{Queue}}", "rawMessageDelivery": true }
            """));
        var path = Path.Combine(_folder, "pubsub.json");
        await File.WriteAllTextAsync(path, json.ToJsonString());
        await aws.NewProvisioner().ProvisionAsync(SystemDefinitionLoader.Load(path), CancellationToken.None);
        var queueUrl = (await aws.Sqs.GetQueueUrlAsync(Queue)).QueueUrl;
        var dlqUrl = (await aws.Sqs.GetQueueUrlAsync(DeadLetterQueue)).QueueUrl;
        await QueueReader.DrainAsync(aws.Sqs, queueUrl, TimeSpan.FromMilliseconds(200));
        return (path, queueUrl, dlqUrl);
    }

    public void Dispose()
    {
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // the definition watcher may still hold the folder for a moment
        }
    }

    /// <summary>The real SQS client, whose <c>SendMessageAsync</c> (the publish DLQ's send) throws an unexpected
    /// exception while <c>fails</c> says so. The core is composed in one place, so the fault goes into its client.</summary>
    public class FlakyDeadLetterSends : DispatchProxy
    {
        private IAmazonSQS _inner = null!;
        private Func<bool> _fails = null!;

        public static IAmazonSQS Wrap(IAmazonSQS inner, Func<bool> fails)
        {
            var proxy = Create<IAmazonSQS, FlakyDeadLetterSends>();
            var flaky = (FlakyDeadLetterSends)(object)proxy;
            (flaky._inner, flaky._fails) = (inner, fails);
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            if (targetMethod!.Name == nameof(IAmazonSQS.SendMessageAsync) && _fails())
            {
                throw new InvalidOperationException("unexpected");
            }

            try
            {
                return targetMethod.Invoke(_inner, args);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                ExceptionDispatchInfo.Throw(e.InnerException);
                throw;
            }
        }
    }
}
