using System.Diagnostics;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.SQS;
using Amazon.SQS.Model;
using Microsoft.Extensions.Logging.Abstractions;
using PubSub.Aws.SimpleNotificationService;
using PubSub.DeadLetters;
using PubSub.Definition;
using PubSub.Emulators;
using PubSub.Events;
using PubSub.IntegrationTests.Infrastructure;
using PubSub.Provisioning;

namespace PubSub.IntegrationTests.Cli;

/// <summary>A replay when the emulator it writes to is stopped in the middle of it: an emulator pair of
/// its own (DynamoDB Local keeping its data on disk, so that it comes back with it), and the real
/// <c>pubsub dlq replay</c> process.</summary>
public sealed class DlqReplayFaultTests : IAsyncLifetime, IDisposable
{
    private const int Letters = 400;
    private readonly string _data = Directory.CreateTempSubdirectory("pubsub-ddb-").FullName;
    private readonly SystemDefinition _definition = SystemDefinitionLoader.Load(TestEvents.Definition);
    private EmbeddedEmulators _emulators = null!;
    private AmazonDynamoDBClient _dynamoDb = null!;
    private AmazonSQSClient _sqs = null!;
    private string _queueUrl = "";

    public async Task InitializeAsync()
    {
        _emulators = await EmbeddedEmulators.StartAsync(dynamoDbDataDirectory: _data);
        // Clients of their own: the process environment may point at the shared emulators.
        var credentials = new BasicAWSCredentials("test", "test");
        var region = EmbeddedEmulators.Region;
        _dynamoDb = new AmazonDynamoDBClient(credentials, new AmazonDynamoDBConfig { ServiceURL = _emulators.DynamoDbEndpoint.ToString(), AuthenticationRegion = region });
        _sqs = new AmazonSQSClient(credentials, new AmazonSQSConfig { ServiceURL = _emulators.MessagingEndpoint.ToString(), AuthenticationRegion = region });
        using var s3 = new AmazonS3Client(credentials, new AmazonS3Config
        {
            ServiceURL = _emulators.MessagingEndpoint.ToString(), ForcePathStyle = true, AuthenticationRegion = region,
        });
        using var sns = new AmazonSimpleNotificationServiceClient(
            new AmazonSimpleNotificationServiceConfig { ServiceURL = _emulators.MessagingEndpoint.ToString(), AuthenticationRegion = region }, credentials);
        var resources = await new LocalProvisioner(_dynamoDb, _sqs, s3, sns, NullLogger<LocalProvisioner>.Instance).ProvisionAsync(_definition, default);
        _queueUrl = resources.QueueUrls[_definition.DeadLetterQueues.Ingestion];
    }

    public async Task DisposeAsync() => await _emulators.DisposeAsync();

    public void Dispose()
    {
        _dynamoDb.Dispose();
        _sqs.Dispose();
        Directory.Delete(_data, recursive: true);
    }

    private Dictionary<string, string?> Environment() =>
        _emulators.EnvironmentVariables.ToDictionary(kv => kv.Key, kv => (string?)kv.Value);

    [Fact]
    public async Task DynamoDB_stopped_in_the_middle_of_a_replay_loses_nothing_and_the_next_replay_finishes()
    {
        var ids = Enumerable.Range(0, Letters).Select(_ => Guid.NewGuid().ToString()).ToList();
        foreach (var chunk in ids.Chunk(10))
        {
            await _sqs.SendMessageBatchAsync(_queueUrl, [.. chunk.Select((id, i) => new SendMessageBatchRequestEntry(i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                DeadLetterMessage.ForIngestion(EventItem.ToItem(TestEvents.Envelope(id), TimeSpan.FromDays(1)), _definition.Events.Table,
                    "ProvisionedThroughputExceededException", "throttled", DateTimeOffset.UtcNow)))]);
        }

        // The first replay: DynamoDB Local stops as soon as the replay reports progress.
        var info = new ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true, WorkingDirectory = AppContext.BaseDirectory };
        foreach (var arg in new[] { Path.Combine(AppContext.BaseDirectory, "pubsub.dll"), "dlq", "replay", "ingestion", "--definition", TestEvents.Definition, "--json" })
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in Environment())
        {
            info.Environment[name] = value;
        }

        JsonElement first;
        int firstExit;
        using (var process = Process.Start(info)!)
        {
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = process.StandardError.ReadToEndAsync();
            await WaitUntilAsync(async () => await StoredCountAsync(ids) > 0, TimeSpan.FromSeconds(60));
            await _emulators.StopDynamoDbAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await process.WaitForExitAsync(timeout.Token);
            firstExit = process.ExitCode;
            first = JsonDocument.Parse(await stdout).RootElement;
            _ = await stderr;
        }

        await _emulators.StartDynamoDbAsync();
        var storedAfterFirst = await StoredCountAsync(ids);
        var second = await CliRunner.RunAsync(Environment(), "dlq", "replay", "ingestion", "--definition", TestEvents.Definition, "--json");

        Assert.Equal(1, firstExit);
        var (replayed, failed) = (first.GetProperty("replayed").GetInt32(), first.GetProperty("failed").GetInt32());
        Assert.True(replayed > 0 && failed > 0, first.ToString());
        // What the first replay wrote came back with the emulator. The replay writes one letter at a time, so
        // at most one more is stored than it counted: a write that landed while its answer was cut off by
        // the stop. That letter stayed in the queue and the second replay finds it as a duplicate.
        Assert.InRange(storedAfterFirst, replayed, replayed + 1);
        Assert.True(second.ExitCode == 0, second.Stdout + second.Stderr);
        Assert.Equal(Letters, await StoredCountAsync(ids));
        Assert.Equal(0, (await _sqs.GetQueueAttributesAsync(_queueUrl, ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]))
            .ApproximateNumberOfMessages);
        Console.WriteLine($"accounting: sent {Letters}, first replay {replayed} replayed and {failed} failed, second replay " +
                          $"{JsonDocument.Parse(second.Stdout).RootElement.GetProperty("replayed").GetInt32()} replayed, stored {Letters}, lost 0");
    }

    private async Task<int> StoredCountAsync(List<string> ids)
    {
        var count = 0;
        foreach (var chunk in ids.Chunk(100))
        {
            var response = await _dynamoDb.BatchGetItemAsync(new BatchGetItemRequest
            {
                RequestItems = new()
                {
                    [_definition.Events.Table] = new KeysAndAttributes
                    {
                        Keys = [.. chunk.Select(id => new Dictionary<string, AttributeValue> { [EventItem.Key] = new() { S = EventItem.KeyOf("demo", id) } })],
                        ProjectionExpression = EventItem.Key,
                        ConsistentRead = true,
                    },
                },
            });
            count += response.Responses[_definition.Events.Table].Count;
            if (response.UnprocessedKeys is { Count: > 0 })
            {
                throw new InvalidOperationException("DynamoDB Local left keys unprocessed; count again.");
            }
        }

        return count;
    }

    private static async Task WaitUntilAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (!await condition())
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException("The replay did not start writing.");
            }

            await Task.Delay(20);
        }
    }
}
