using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Amazon.DynamoDBv2.Model;
using PubSub.Definition;
using PubSub.Operations;
using PubSub.Webhooks.Delivery;
using PubSub.Webhooks.Worker;
using Spectre.Console;

namespace PubSub.Cli.Commands;

/// <summary><c>pubsub webhooks attempts|recover|resend</c>: what was attempted for an event, and sending events to a
/// subscription again. Redelivered events go on the subscription's queue as SNS's raw delivery puts them there
/// (<see cref="WebhookRedelivery"/>), marked to start a new series of attempts: the worker numbers them on from the
/// attempts table, and the retry schedule starts again.</summary>
internal static class WebhookDeliveriesCommand
{
    public static Command CreateAttempts()
    {
        var (definition, local, json) = (CommonOptions.Definition(), CommonOptions.Local(), CommonOptions.Json());
        var eventId = new Argument<string>("EVENT_ID") { Description = "The event id (the CloudEvents id)." };
        var publisher = PublisherOption();
        var subscription = new Option<string?>("--subscription") { Description = "Only this webhook subscription's attempts." };
        var command = new Command("attempts", "The delivery attempts recorded for an event at every webhook subscription: time, number, status or error, latency, next due.")
        {
            eventId, publisher, subscription, definition, local, json,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(ct => AttemptsAsync(parse.GetValue(eventId)!, parse.GetValue(publisher),
            parse.GetValue(subscription), parse.GetValue(definition), parse.GetValue(local), parse.GetValue(json), ct), cancellationToken));
        return command;
    }

    private static Option<string?> PublisherOption() =>
        new("--publisher", "-p") { Description = "The event's publisher (default: look under every publisher of the definition)." };

    private static async Task<int> AttemptsAsync(string eventId, string? publisher, string? subscription, FileInfo? definition, bool local,
        bool asJson, CancellationToken ct)
    {
        using var context = new WebhookContext(definition, local);
        if (subscription is not null)
        {
            context.Subscription(subscription);
        }

        var rows = await AttemptRowsAsync(context, eventId, publisher, subscription, ct);
        if (asJson)
        {
            Console.WriteLine(JsonSerializer.Serialize(new WebhookAttempts(eventId, rows), CliJsonContext.Default.WebhookAttempts));
            return ExitCodes.Success;
        }

        if (rows.Count == 0)
        {
            Console.WriteLine($"No webhook attempts recorded for event {eventId} (none yet, expired, or the id or publisher is wrong).");
            return ExitCodes.Success;
        }

        var table = new Table().AddColumns("Subscription", "Publisher", "#", "Time", "Result", "Latency", "Next due");
        foreach (var row in rows)
        {
            // The first attempt of a redelivery's series says so: the schedule started again there.
            var number = row.Attempt.ToString(CultureInfo.InvariantCulture) + (row.Attempt == row.SeriesStart && row.SeriesStart > 1 ? " (new series)" : "");
            table.AddRow(Markup.Escape(row.Subscription), Markup.Escape(row.Publisher), number,
                row.StartedAt.ToString("O", CultureInfo.InvariantCulture), Markup.Escape(Result(row)),
                $"{row.LatencyMs.ToString(CultureInfo.InvariantCulture)} ms", row.NextAttemptAt?.ToString("O", CultureInfo.InvariantCulture) ?? "-");
        }

        AnsiConsole.Write(table);
        return ExitCodes.Success;
    }

    /// <summary>An attempt's result in a few words: the status or the error, and the outcome.</summary>
    internal static string Result(WebhookAttemptRow row) =>
        (row.Status is { } status ? $"HTTP {status}" : row.Error) + (row.Error is not "None" && row.Status is not null ? $" ({row.Error})" : "")
        + $": {row.Outcome.ToLowerInvariant()}" + (row.ErrorDetail is { } detail ? $" - {detail}" : "");

    /// <summary>The event's attempts under each publisher asked for (or every publisher of the definition).</summary>
    internal static async Task<List<WebhookAttemptRow>> AttemptRowsAsync(WebhookContext context, string eventId, string? publisher,
        string? subscription, CancellationToken ct)
    {
        var rows = new List<WebhookAttemptRow>();
        foreach (var name in publisher is { } p ? [p] : context.System.Publishers.Select(x => x.Name))
        {
            IReadOnlyList<AttemptRecord> records;
            try
            {
                records = await context.Attempts.QueryAsync(name, eventId, subscription, ct);
            }
            catch (ResourceNotFoundException)
            {
                throw new CliException($"There is no attempts table {WebhookNames.AttemptsTable(context.System)}: provision (pubsub provision --local) or deploy a definition with a webhook subscription.");
            }

            rows.AddRange(records.Select(r => new WebhookAttemptRow(r.Attempt.EndpointId, r.Publisher, r.Attempt.AttemptNumber, r.Attempt.StartedAt,
                r.Attempt.StatusCode, r.Attempt.Error.ToString(), r.Attempt.Outcome.ToString(), (long)r.Attempt.Latency.TotalMilliseconds,
                r.NextAttemptAt, r.Attempt.EndpointUrl, r.Attempt.ErrorDetail, r.SeriesStart)));
        }

        return rows;
    }

    /// <summary>Each subscription's attempts in one line: how many, the last one's result and time, and what is next.</summary>
    internal static List<EventWebhookSummary> Summarize(IEnumerable<WebhookAttemptRow> rows) =>
    [
        .. rows.GroupBy(r => r.Subscription, StringComparer.Ordinal).Select(g =>
        {
            var last = g.MaxBy(r => r.Attempt)!;
            var next = last.Outcome == nameof(AttemptOutcome.Succeeded) ? "delivered"
                : last.NextAttemptAt is { } due ? $"next attempt due {due.ToString("O", CultureInfo.InvariantCulture)}"
                : "no more attempts (dead-lettered)";
            return new EventWebhookSummary(g.Key, g.Count(), Result(last), last.StartedAt, next);
        }),
    ];

    public static Command CreateRecover()
    {
        var (definition, local, json) = (CommonOptions.Definition(), CommonOptions.Local(), CommonOptions.Json());
        var id = WebhooksCommand.IdArgument();
        var since = new Option<DateTimeOffset>("--since") { Description = "Dead letters that failed at or after this time (ISO 8601, e.g. 2026-11-27T10:00Z).", Required = true };
        var max = new Option<int>("--max") { Description = "Recover at most this many (default: all).", DefaultValueFactory = _ => int.MaxValue };
        var command = new Command("recover",
            "Send the subscription's dead letters since a time back to its queue, so the worker delivers them again on a new schedule (enable it first if it is disabled).")
        {
            id, since, max, definition, local, json,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(ct => RecoverAsync(parse.GetValue(id)!, parse.GetValue(since),
            parse.GetValue(max), parse.GetValue(definition), parse.GetValue(local), parse.GetValue(json), ct), cancellationToken));
        return command;
    }

    private static async Task<int> RecoverAsync(string id, DateTimeOffset since, int max, FileInfo? definition, bool local, bool asJson,
        CancellationToken ct)
    {
        if (max < 1)
        {
            throw new CliException("--max must be a positive number.", ExitCodes.Usage);
        }

        using var context = new WebhookContext(definition, local);
        context.Subscription(id);
        var dlq = await context.QueueUrlAsync(WebhookNames.DeadLetterQueue(context.System, id), ct);
        var queue = await context.QueueUrlAsync(WebhookNames.Queue(context.System, id), ct);
        var report = await context.Redelivery.RecoverAsync(dlq, queue, id, since, max, ct);
        if (asJson)
        {
            Console.WriteLine(JsonSerializer.Serialize(report, CliJsonContext.Default.WebhookRecoverReport));
            return ExitCodes.Success;
        }

        Console.WriteLine($"{id}: recovered {report.Recovered} of {report.Read} dead letters read ({report.Older} older than {since.ToString("O", CultureInfo.InvariantCulture)} left).");
        foreach (var problem in report.Problems)
        {
            Console.WriteLine($"  {problem}");
        }

        return ExitCodes.Success;
    }

    public static Command CreateResend()
    {
        var (definition, local, json) = (CommonOptions.Definition(), CommonOptions.Local(), CommonOptions.Json());
        var id = WebhooksCommand.IdArgument();
        var eventId = new Argument<string>("EVENT_ID") { Description = "The stored event's id." };
        var publisher = PublisherOption();
        var command = new Command("resend",
            "Put a stored event (from the events table) on the subscription's queue as SNS would, marked replayed=true, and attempt it again on a new schedule even if its attempts ended undelivered (exhausted, 410); the numbering goes on. A delivered event is not sent again.")
        {
            id, eventId, publisher, definition, local, json,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(ct => ResendAsync(parse.GetValue(id)!, parse.GetValue(eventId)!,
            parse.GetValue(publisher), parse.GetValue(definition), parse.GetValue(local), parse.GetValue(json), ct), cancellationToken));
        return command;
    }

    private static async Task<int> ResendAsync(string id, string eventId, string? publisher, FileInfo? definition, bool local, bool asJson,
        CancellationToken ct)
    {
        using var context = new WebhookContext(definition, local);
        context.Subscription(id);
        var publishers = publisher is { } p ? [p] : context.System.Publishers.Select(x => x.Name).ToList();
        var stored = await EventsCommand.FindStoredAsync(context.System, eventId, publishers, ct)
                     ?? throw new CliException($"Event {eventId} is not in the events table {context.System.Events.Table} (it may have expired, or the id or publisher is wrong).");
        var queue = await context.QueueUrlAsync(WebhookNames.Queue(context.System, id), ct);
        var messageId = await context.Redelivery.ResendAsync(queue, id, stored, ct);
        var result = new WebhookResent(id, eventId, stored.Publisher, messageId);
        Console.WriteLine(asJson
            ? JsonSerializer.Serialize(result, CliJsonContext.Default.WebhookResent)
            : $"Queued event {eventId} of {stored.Publisher} for {id} (message {messageId}); pubsub webhooks attempts {eventId} shows its attempts.");
        return ExitCodes.Success;
    }
}

internal sealed record WebhookAttempts(string EventId, List<WebhookAttemptRow> Attempts);

/// <param name="Status">The HTTP status, null when there was no answer.</param>
/// <param name="Error">None, or what went wrong (Timeout, Refused, ...).</param>
/// <param name="Outcome">Succeeded, Failed, Throttled or Gone.</param>
/// <param name="NextAttemptAt">When the next attempt is due; null when none follows.</param>
/// <param name="SeriesStart">The first attempt of its series: 1, or the attempt an operator's redelivery started.</param>
internal sealed record WebhookAttemptRow(string Subscription, string Publisher, int Attempt, DateTimeOffset StartedAt, int? Status, string Error,
    string Outcome, long LatencyMs, DateTimeOffset? NextAttemptAt, string Url, string? ErrorDetail, int SeriesStart = 1);

/// <summary>One subscription's attempts at an event, for <c>pubsub events get</c>.</summary>
internal sealed record EventWebhookSummary(string Subscription, int Attempts, string LastResult, DateTimeOffset LastAttemptAt, string Next);

internal sealed record WebhookResent(string Id, string EventId, string Publisher, string MessageId);
