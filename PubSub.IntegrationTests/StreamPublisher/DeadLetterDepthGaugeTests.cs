using System.Diagnostics.Metrics;
using PubSub.IntegrationTests.Infrastructure;

namespace PubSub.IntegrationTests.StreamPublisher;

/// <summary>The dashboard's counterpart of the CloudWatch DLQ alarm: the stream publisher's gauge
/// <c>pubsub.dead_letter.depth</c> counts what waits in each dead-letter queue.</summary>
[Collection(AwsEmulatorsCollection.Name)]
public sealed class DeadLetterDepthGaugeTests(AwsEmulatorsFixture aws) : IDisposable
{
    private readonly string _checkpoints = $"it-checkpoints-{Guid.NewGuid():N}";
    private readonly string _folder = Directory.CreateTempSubdirectory("pubsub-gauge-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    /// <summary>The repository's definition without routes or an unrouted topic: the poller this test starts
    /// reads the stream from its start and must publish nothing into other tests' queues.</summary>
    private string QuietDefinition()
    {
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(TestEvents.Definition),
            documentOptions: new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip, AllowTrailingCommas = true })!.AsObject();
        json["routes"] = new System.Text.Json.Nodes.JsonArray();
        json.Remove("unroutedTopic");
        var path = Path.Combine(_folder, "pubsub.json");
        File.WriteAllText(path, json.ToJsonString());
        return path;
    }

    [Fact]
    public async Task The_gauge_reports_each_queues_depth_as_it_changes()
    {
        var publishDlq = aws.Resources.QueueUrls[aws.Definition.DeadLetterQueues.Publish];
        await aws.Sqs.PurgeQueueAsync(publishDlq);
        for (var i = 0; i < 3; i++)
        {
            await aws.Sqs.SendMessageAsync(publishDlq, TestEvents.PublishLetter(TestEvents.Envelope(Guid.NewGuid().ToString())));
        }

        var depths = new Dictionary<string, long>(StringComparer.Ordinal);
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Name == "pubsub.dead_letter.depth")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((_, value, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == "queue")
                {
                    lock (depths)
                    {
                        depths[(string)tag.Value!] = value;
                    }
                }
            }
        });
        listener.Start();

        using var publisher = new StreamPublisherHostFactory(QuietDefinition(), _checkpoints);
        publisher.Start();
        var seen = await WaitForAsync(listener, depths, d => d.GetValueOrDefault("publish") == 3, TimeSpan.FromSeconds(20));
        await aws.Sqs.PurgeQueueAsync(publishDlq);
        var drained = await WaitForAsync(listener, depths, d => d.GetValueOrDefault("publish") == 0, TimeSpan.FromSeconds(30));

        Assert.True(seen, $"publish depth never reached 3: {string.Join(", ", depths)}");
        Assert.True(depths.ContainsKey("ingestion"), "the ingestion DLQ has no depth");
        Assert.True(drained, $"publish depth never went back to 0: {string.Join(", ", depths)}");
    }

    private static async Task<bool> WaitForAsync(MeterListener listener, Dictionary<string, long> depths, Func<Dictionary<string, long>, bool> condition,
        TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (DateTimeOffset.UtcNow < deadline)
        {
            listener.RecordObservableInstruments();
            lock (depths)
            {
                if (condition(depths))
                {
                    return true;
                }
            }

            await Task.Delay(250);
        }

        return false;
    }
}
