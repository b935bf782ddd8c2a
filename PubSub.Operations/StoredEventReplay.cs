using System.Globalization;
using System.Text;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.SimpleNotificationService;
using PubSub.Aws.SimpleNotificationService;
using PubSub.Definition;
using PubSub.Events;
using PubSub.Routing;

namespace PubSub.Operations;

/// <param name="From">Received at or after (inclusive).</param>
/// <param name="To">Received before (exclusive).</param>
/// <param name="Topic">Only this topic (of the topics the event's routes reach).</param>
/// <param name="RatePerSecond">Events per second at most.</param>
/// <param name="PageSize">Items read per scan page; the position is saved after each page.</param>
public sealed record EventReplayRequest(DateTimeOffset From, DateTimeOffset To, string? Publisher, string? Type, string? Topic,
    double RatePerSecond, bool DryRun, int PageSize = 200);

/// <param name="Scanned">Items read from the table.</param>
/// <param name="Matched">Events in the window that passed the filters.</param>
/// <param name="Published">Messages published (one per event and topic).</param>
/// <param name="Resumed">True when the replay continued from a saved position.</param>
/// <param name="Finished">False when it stopped early (a failure); the same command resumes it.</param>
public sealed record EventReplayReport(long Scanned, long Matched, long Published, long Failed, bool DryRun, bool Resumed, bool Finished,
    IReadOnlyList<string> Problems);

/// <summary>Publishes stored events of a time window again, to the topics their routes reach today,
/// with the message attribute <c>replayed=true</c>, at a bounded rate. The table is read page by page
/// and the position after each fully published page is saved to a state file, so an interrupted replay
/// resumes there (events of the page in flight may be published twice; subscribers drop them by id).</summary>
public sealed class StoredEventReplay(IAmazonDynamoDB dynamoDb, IAmazonSimpleNotificationService sns, TopicDirectory topics,
    SystemDefinition definition, TimeProvider timeProvider)
{
    private readonly EventRouter _router = new(definition);

    public async Task<EventReplayReport> RunAsync(EventReplayRequest request, string stateFile, IProgress<EventReplayReport>? progress,
        CancellationToken cancellationToken)
    {
        var startKey = request.DryRun ? null : LoadPosition(stateFile);
        var resumed = startKey is not null;
        long scanned = 0, matched = 0, published = 0, failed = 0;
        var problems = new List<string>();
        var interval = request.RatePerSecond > 0 ? TimeSpan.FromSeconds(1 / request.RatePerSecond) : TimeSpan.Zero;
        var next = timeProvider.GetUtcNow();
        do
        {
            var page = await dynamoDb.ScanAsync(Scan(request, startKey), cancellationToken);
            scanned += page.ScannedCount ?? page.Items.Count;
            foreach (var item in page.Items)
            {
                if (Prepare(item, request, problems) is not var (envelope, body, targets) || targets.Count == 0)
                {
                    continue;
                }

                matched++;
                if (request.DryRun)
                {
                    published += targets.Count;
                    continue;
                }

                var wait = next - timeProvider.GetUtcNow();
                if (wait > TimeSpan.Zero)
                {
                    await Task.Delay(wait, timeProvider, cancellationToken);
                }

                next = timeProvider.GetUtcNow() + interval;
                foreach (var topic in targets)
                {
                    try
                    {
                        var arn = await topics.ArnOfAsync(topic, cancellationToken);
                        var message = EventMessage.For(envelope, arn, replayed: true, body: Encoding.UTF8.GetString(body));
                        await sns.PublishAsync(message.ToPublishRequest(arn), cancellationToken);
                        published++;
                    }
                    catch (Exception e) when (e is TopicNotFoundException || Aws.AwsErrors.IsCallFailure(e, cancellationToken))
                    {
                        failed++;
                        problems.Add($"{envelope.Publisher}/{envelope.Id} to {topic}: {Aws.AwsErrors.CodeOf(e)}: {e.Message}");
                    }
                }
            }

            if (failed > 0)
            {
                // Stop before the position moves past a failure: the same command retries from this page.
                return new EventReplayReport(scanned, matched, published, failed, request.DryRun, resumed, Finished: false, problems);
            }

            startKey = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
            if (!request.DryRun)
            {
                SavePosition(stateFile, startKey);
            }

            progress?.Report(new EventReplayReport(scanned, matched, published, failed, request.DryRun, resumed, Finished: false, problems));
        }
        while (startKey is not null);

        return new EventReplayReport(scanned, matched, published, failed, request.DryRun, resumed, Finished: true, problems);
    }

    /// <summary>The event, its message and its topics; null (with a problem noted) for a stored event that cannot be
    /// decoded or routed: as in the stream publisher, one event's failure does not stop the others.</summary>
    private (EventEnvelope Envelope, byte[] Body, List<string> Targets)? Prepare(Dictionary<string, AttributeValue> item,
        EventReplayRequest request, List<string> problems)
    {
        try
        {
            var envelope = EventItem.FromItem(item);
            var body = CloudEventJson.ToUtf8Bytes(envelope);
            return (envelope, body, [.. _router.Route(body).Topics.Where(t => request.Topic is null || t == request.Topic)]);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            var id = item.TryGetValue(EventItem.Key, out var key) ? key.S : "(no key)";
            problems.Add($"{id}: not replayed, it cannot be decoded or routed ({e.GetType().Name}: {e.Message})");
            return null;
        }
    }

    private ScanRequest Scan(EventReplayRequest request, Dictionary<string, AttributeValue>? startKey)
    {
        var filter = new StringBuilder("#r >= :from AND #r < :to");
        var names = new Dictionary<string, string> { ["#r"] = EventItem.ReceivedAtAttribute };
        var values = new Dictionary<string, AttributeValue>
        {
            [":from"] = new() { S = request.From.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture) },
            [":to"] = new() { S = request.To.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture) },
        };
        if (request.Publisher is { } publisher)
        {
            filter.Append(" AND #p = :p");
            names["#p"] = EventItem.PublisherAttribute;
            values[":p"] = new AttributeValue { S = publisher };
        }

        if (request.Type is { } type)
        {
            filter.Append(" AND #t = :t");
            names["#t"] = EventItem.TypeAttribute;
            values[":t"] = new AttributeValue { S = type };
        }

        return new ScanRequest
        {
            TableName = definition.Events.Table,
            FilterExpression = filter.ToString(),
            ExpressionAttributeNames = names,
            ExpressionAttributeValues = values,
            ExclusiveStartKey = startKey,
            Limit = request.PageSize,
        };
    }

    /// <summary>The scan position saved by an interrupted replay with the same state file, if any.</summary>
    private static Dictionary<string, AttributeValue>? LoadPosition(string stateFile)
    {
        if (!File.Exists(stateFile))
        {
            return null;
        }

        using var document = JsonDocument.Parse(File.ReadAllText(stateFile));
        return document.RootElement.TryGetProperty("pk", out var key) && key.GetString() is { } pk
            ? new Dictionary<string, AttributeValue> { [EventItem.Key] = new() { S = pk } }
            : null;
    }

    private static void SavePosition(string stateFile, Dictionary<string, AttributeValue>? key)
    {
        if (key is null)
        {
            File.Delete(stateFile); // finished: nothing to resume
            return;
        }

        var temporary = stateFile + ".tmp";
        File.WriteAllText(temporary, $"{{\"pk\":{JsonSerializer.Serialize(key[EventItem.Key].S, StoredEventReplayJson.Default.String)}}}");
        File.Move(temporary, stateFile, overwrite: true);
    }
}

[System.Text.Json.Serialization.JsonSerializable(typeof(string))]
internal sealed partial class StoredEventReplayJson : System.Text.Json.Serialization.JsonSerializerContext;
