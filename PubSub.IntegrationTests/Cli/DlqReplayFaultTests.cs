using System.Diagnostics;
using System.Text.Json;
using Amazon.SQS.Model;
using PubSub.DeadLetters;
using PubSub.Events;
using PubSub.IntegrationTests.Infrastructure;

namespace PubSub.IntegrationTests.Cli;

/// <summary>A replay when the emulator it writes to is stopped in the middle of it: an emulator pair of
/// its own (DynamoDB Local keeping its data on disk, so that it comes back with it), and the real
/// <c>pubsub dlq replay</c> process.</summary>
public sealed class DlqReplayFaultTests : IAsyncLifetime
{
    private const int Letters = 400;
    private IsolatedEmulators _aws = null!;
    private string _queueUrl = "";

    public async Task InitializeAsync()
    {
        _aws = await IsolatedEmulators.StartAsync();
        _queueUrl = _aws.Resources.QueueUrls[_aws.Definition.DeadLetterQueues.Ingestion];
    }

    public async Task DisposeAsync() => await _aws.DisposeAsync();

    private Dictionary<string, string?> Environment() =>
        _aws.Environment.ToDictionary(kv => kv.Key, kv => (string?)kv.Value);

    [Fact]
    public async Task DynamoDB_stopped_in_the_middle_of_a_replay_loses_nothing_and_the_next_replay_finishes()
    {
        var ids = Enumerable.Range(0, Letters).Select(_ => Guid.NewGuid().ToString()).ToList();
        foreach (var chunk in ids.Chunk(10))
        {
            await _aws.Sqs.SendMessageBatchAsync(_queueUrl, [.. chunk.Select((id, i) => new SendMessageBatchRequestEntry(i.ToString(System.Globalization.CultureInfo.InvariantCulture),
                DeadLetterMessage.ForIngestion(EventItem.ToItem(TestEvents.Envelope(id), TimeSpan.FromDays(1)), _aws.Definition.Events.Table,
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
            await _aws.Emulators.StopDynamoDbAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
            await process.WaitForExitAsync(timeout.Token);
            firstExit = process.ExitCode;
            first = JsonDocument.Parse(await stdout).RootElement;
            _ = await stderr;
        }

        await _aws.Emulators.StartDynamoDbAsync();
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
        Assert.Equal(0, (await _aws.Sqs.GetQueueAttributesAsync(_queueUrl, ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"]))
            .ApproximateNumberOfMessages);
        Console.WriteLine($"accounting: sent {Letters}, first replay {replayed} replayed and {failed} failed, second replay " +
                          $"{JsonDocument.Parse(second.Stdout).RootElement.GetProperty("replayed").GetInt32()} replayed, stored {Letters}, lost 0");
    }

    private Task<int> StoredCountAsync(List<string> ids) => _aws.StoredCountAsync(ids);

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
