using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using PubSub.Definition;
using PubSub.Events;
using PubSub.Operations;
using PubSub.Routing;

namespace PubSub.Cli.Commands;

/// <summary><c>pubsub events get ID</c>: the stored event, the routes and topics it goes to, and any
/// dead-letter queue that holds it.</summary>
internal static class EventsCommand
{
    /// <summary>How many messages of each DLQ are looked through for the event.</summary>
    private const int DeadLetterScanLimit = 1000;

    public static Command Create() => new("events", "Look up stored events, and publish a time window of them again.")
    {
        CreateGet(),
        CreateReplay(),
    };

    private static Command CreateReplay()
    {
        var (definition, local, json) = (CommonOptions.Definition(), CommonOptions.Local(), CommonOptions.Json());
        var from = new Option<DateTimeOffset>("--from") { Description = "Received at or after (ISO 8601, e.g. 2026-11-27T10:00Z).", Required = true };
        var to = new Option<DateTimeOffset>("--to") { Description = "Received before (ISO 8601).", Required = true };
        var publisher = new Option<string?>("--publisher", "-p") { Description = "Only this publisher's events." };
        var type = new Option<string?>("--type", "-t") { Description = "Only events of this type." };
        var topic = new Option<string?>("--topic") { Description = "Only to this topic (of those the event's routes reach)." };
        var rate = new Option<double>("--rate") { Description = "Events per second at most (default 100).", DefaultValueFactory = _ => 100 };
        var dryRun = new Option<bool>("--dry-run") { Description = "Count what would be published; publish nothing." };
        var pageSize = new Option<int>("--page-size") { Description = "Items read per scan page; the position is saved after each (default 200).", DefaultValueFactory = _ => 200 };
        var state = new Option<FileInfo?>("--state") { Description = "Where the position is kept so an interrupted replay resumes (default: a file in the temp folder named after the arguments)." };
        var command = new Command("replay",
            "Publish the stored events of a time window again to the topics their routes reach, marked replayed=true, rate-limited and resumable.")
        {
            from, to, publisher, type, topic, rate, dryRun, pageSize, state, definition, local, json,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(ct => ReplayAsync(
            new EventReplayRequest(parse.GetValue(from), parse.GetValue(to), parse.GetValue(publisher), parse.GetValue(type), parse.GetValue(topic),
                parse.GetValue(rate), parse.GetValue(dryRun), parse.GetValue(pageSize)),
            parse.GetValue(state), parse.GetValue(definition), parse.GetValue(local), parse.GetValue(json), ct), cancellationToken));
        return command;
    }

    private static async Task<int> ReplayAsync(EventReplayRequest request, FileInfo? state, FileInfo? definition, bool local, bool asJson,
        CancellationToken ct)
    {
        var system = CommonOptions.LoadDefinition(definition);
        CommonOptions.UseLocalStack(local);

        Validate(request, system);
        var stateFile = state?.FullName ?? DefaultStateFile(system.Name, request);
        using var dynamoDb = new AmazonDynamoDBClient();
        using var sns = new Amazon.SimpleNotificationService.AmazonSimpleNotificationServiceClient();
        using var topics = new PubSub.Aws.SimpleNotificationService.TopicDirectory(sns, new Dictionary<string, string>());
        var replay = new StoredEventReplay(dynamoDb, sns, topics, system, TimeProvider.System);
        // A scan has no total to show: the bar spins and counts.
        var report = await ProgressDisplay.RunAsync<EventReplayReport>(asJson, "Replaying events", null, r => r.Scanned,
            Describe,
            progress => replay.RunAsync(request, stateFile, progress, ct));
        if (asJson)
        {
            Console.WriteLine(JsonSerializer.Serialize(report, CliJsonContext.Default.EventReplayReport));
        }
        else
        {
            Print(report, stateFile);
        }

        return report.Finished ? ExitCodes.Success : ExitCodes.Failure;
    }

    /// <summary>A progress report as a short line; a dry run publishes nothing, and says so.</summary>
    internal static string Describe(EventReplayReport r) =>
        $"scanned {r.Scanned}, {(r.DryRun ? "would publish" : "published")} {r.Published}, failed {r.Failed}";

    private static void Validate(EventReplayRequest request, SystemDefinition system)
    {
        if (request.PageSize is < 1 or > 1000)
        {
            throw new CliException("--page-size must be between 1 and 1000.", ExitCodes.Usage);
        }

        if (request.From >= request.To)
        {
            throw new CliException("--from must be before --to.", ExitCodes.Usage);
        }

        if (request.Topic is { } t && system.Topics.All(x => x.Name != t))
        {
            throw new CliException($"'{t}' is not a topic of {system.Name}.", ExitCodes.Usage);
        }
    }

    private static void Print(EventReplayReport report, string stateFile)
    {
        Console.WriteLine($"{(report.Resumed ? "Resumed: " : "")}scanned {report.Scanned}, matched {report.Matched}, " +
                          $"{(report.DryRun ? "would publish" : "published")} {report.Published}, failed {report.Failed}.");
        foreach (var problem in report.Problems)
        {
            Console.WriteLine($"  {problem}");
        }

        if (!report.Finished)
        {
            Console.WriteLine($"Stopped early; run the same command again to resume (position kept in {stateFile}).");
        }
        else if (FinishedNote(report) is { } note)
        {
            Console.WriteLine(note);
        }
    }

    /// <summary>A finished replay keeps no position, so the same command publishes the window again: said after each
    /// run that published, rather than remembered, since publishing a window twice is sometimes what one wants.</summary>
    internal static string? FinishedNote(EventReplayReport report) => report is { Finished: true, DryRun: false, Published: > 0 }
        ? "Replay is not idempotent: running this command again publishes these events again (subscribers drop duplicates by publisher and id)."
        : null;

    private static string DefaultStateFile(string system, EventReplayRequest request)
    {
        var key = $"{system}|{request.From:O}|{request.To:O}|{request.Publisher}|{request.Type}|{request.Topic}";
        var hash = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(key)))[..16];
        return Path.Combine(Path.GetTempPath(), $"pubsub-replay-{hash}.json");
    }

    private static Command CreateGet()
    {
        var (definition, local, json) = (CommonOptions.Definition(), CommonOptions.Local(), CommonOptions.Json());
        var id = new Argument<string>("ID") { Description = "The event id (the CloudEvents id, or the Idempotency-Key)." };
        var publisher = new Option<string?>("--publisher", "-p") { Description = "The publisher (default: look under every publisher of the definition)." };
        var command = new Command("get",
            "Show a stored event, the topics its routes send it to, and the dead-letter queue that holds it, if any. Exit 1 when it is nowhere.")
        {
            id, publisher, definition, local, json,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(ct => GetAsync(
            parse.GetValue(id)!, parse.GetValue(publisher), parse.GetValue(definition), parse.GetValue(local), parse.GetValue(json), ct), cancellationToken));
        return command;
    }

    private static async Task<int> GetAsync(string eventId, string? publisher, FileInfo? definition, bool local, bool asJson, CancellationToken ct)
    {
        var system = CommonOptions.LoadDefinition(definition);
        CommonOptions.UseLocalStack(local);

        var publishers = publisher is { } p ? [p] : system.Publishers.Select(x => x.Name).ToList();
        var stored = await FindStoredAsync(system, eventId, publishers, ct);
        var deadLetters = await FindDeadLettersAsync(system, eventId, stored, ct);
        var decision = stored is null ? null : new EventRouter(system).Route(CloudEventJson.ToUtf8Bytes(stored));
        var report = new EventReport(eventId, stored is not null, stored?.Publisher, stored?.ReceivedAt, stored?.OriginRegion,
            stored?.Sensitive?.Action, decision?.MatchedRoutes.ToList(), decision?.Topics.ToList(),
            [.. deadLetters.Select(d => new EventDeadLetter(d.Queue, d.Entry.Kind, d.Entry.Target, d.Entry.ErrorCode, d.Entry.ErrorMessage))],
            stored is null ? null : JsonDocument.Parse(CloudEventJson.ToUtf8Bytes(stored)).RootElement)
        {
            Webhooks = stored is null ? null : await WebhookSummaryAsync(definition, local, eventId, stored.Publisher, ct),
        };
        if (asJson)
        {
            Console.WriteLine(JsonSerializer.Serialize(report, CliJsonContext.Default.EventReport));
        }
        else
        {
            Print(report);
        }

        return stored is null && deadLetters.Count == 0 ? ExitCodes.Failure : ExitCodes.Success;
    }

    /// <summary>The event's attempts at each webhook subscription, one line each; null when the definition has none
    /// (or their attempts table is not there yet).</summary>
    private static async Task<List<EventWebhookSummary>?> WebhookSummaryAsync(FileInfo? definition, bool local, string eventId, string publisher,
        CancellationToken ct)
    {
        using var context = new WebhookContext(definition, local);
        if (!context.Webhooks.Any())
        {
            return null;
        }

        try
        {
            return WebhookDeliveriesCommand.Summarize(await WebhookDeliveriesCommand.AttemptRowsAsync(context, eventId, publisher, null, ct));
        }
        catch (CliException)
        {
            return null; // no attempts table: nothing was attempted
        }
    }

    /// <summary>The stored event with this id from the first of <paramref name="publishers"/> that has one.</summary>
    internal static async Task<EventEnvelope?> FindStoredAsync(SystemDefinition system, string eventId, List<string> publishers,
        CancellationToken ct)
    {
        using var dynamoDb = new AmazonDynamoDBClient();
        foreach (var name in publishers)
        {
            var item = (await dynamoDb.GetItemAsync(new GetItemRequest
            {
                TableName = system.Events.Table,
                Key = new() { [EventItem.Key] = new AttributeValue { S = EventItem.KeyOf(name, eventId) } },
                ConsistentRead = true,
            }, ct)).Item;
            if (item is { Count: > 0 })
            {
                return EventItem.FromItem(item);
            }
        }

        return null;
    }

    /// <summary>The dead letters of the event in every DLQ (of its publisher, when it is stored).</summary>
    private static async Task<List<(string Queue, DeadLetterEntry Entry)>> FindDeadLettersAsync(SystemDefinition system, string eventId,
        EventEnvelope? stored, CancellationToken ct)
    {
        await using var operations = new OperationsContext(system, local: false); // peeks only: no webhook secret is read
        var deadLetters = new List<(string Queue, DeadLetterEntry Entry)>();
        foreach (var (role, queue) in operations.Queues.Queues)
        {
            IReadOnlyList<DeadLetterEntry> entries;
            try
            {
                entries = await operations.Queues.PeekAsync(queue, DeadLetterScanLimit, ct);
            }
            catch (Amazon.SQS.Model.QueueDoesNotExistException) when (role != "ingestion" && role != "publish")
            {
                continue; // a webhook subscription not provisioned (or deployed) yet
            }

            foreach (var entry in entries)
            {
                if (entry.EventId == eventId && (stored is null || entry.Publisher == stored.Publisher))
                {
                    deadLetters.Add((role, entry));
                }
            }
        }

        return deadLetters;
    }

    private static void Print(EventReport report)
    {
        if (!report.Stored && report.DeadLetters.Count == 0)
        {
            Console.WriteLine($"Event {report.Id} is neither in the table nor in a dead-letter queue (it may have expired, or the id or publisher is wrong).");
            return;
        }

        if (report.Stored)
        {
            Console.WriteLine($"Event {report.Id} from {report.Publisher}, received {report.ReceivedAt?.ToString("O", CultureInfo.InvariantCulture)} in {report.OriginRegion}" +
                              (report.Sensitive is { } s ? $" (sensitive data: {s})" : ""));
            Console.WriteLine(report.Topics is { Count: > 0 } topics
                ? $"Routes {string.Join(", ", report.Routes!)} send it to: {string.Join(", ", topics)}"
                : "No route matches it.");
            Console.WriteLine(report.CloudEvent?.GetRawText());
        }
        else
        {
            Console.WriteLine($"Event {report.Id} is not in the table.");
        }

        if (report.Webhooks is { } webhooks)
        {
            Console.WriteLine(webhooks.Count == 0 ? "No webhook attempts recorded." : "Webhook attempts:");
            foreach (var w in webhooks)
            {
                Console.WriteLine($"  {w.Subscription}: {w.Attempts} attempt(s), last {w.LastAttemptAt.ToString("O", CultureInfo.InvariantCulture)} {w.LastResult}; {w.Next}");
            }
        }

        foreach (var letter in report.DeadLetters)
        {
            Console.WriteLine($"In the {letter.Queue} DLQ ({letter.Kind}, for {letter.Target}): {letter.ErrorCode}: {letter.ErrorMessage}");
        }
    }
}

internal sealed record EventReport(
    string Id,
    bool Stored,
    string? Publisher,
    DateTimeOffset? ReceivedAt,
    string? OriginRegion,
    string? Sensitive,
    List<string>? Routes,
    List<string>? Topics,
    List<EventDeadLetter> DeadLetters,
    JsonElement? CloudEvent)
{
    /// <summary>The event's attempts at each webhook subscription (null when the definition has none).</summary>
    public List<EventWebhookSummary>? Webhooks { get; init; }
}

internal sealed record EventDeadLetter(string Queue, string Kind, string? Target, string ErrorCode, string ErrorMessage);
