using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Amazon.SQS;
using PubSub.Aws;
using PubSub.Aws.DynamoDB;
using Amazon.SimpleNotificationService;
using PubSub.Aws.SimpleNotificationService;
using PubSub.Operations;
using Spectre.Console;

namespace PubSub.Cli.Commands;

/// <summary><c>pubsub dlq list|peek|replay|purge</c>: the dead-letter queues, their messages, and
/// putting them back where they failed to go.</summary>
internal static class DlqCommand
{
    public static Command Create() => new("dlq", "Inspect, replay and purge the dead-letter queues.")
    {
        CreateList(),
        CreatePeek(),
        CreateReplay(),
        CreatePurge(),
    };

    private static Command CreateList()
    {
        var (definition, local, json) = (CommonOptions.Definition(), CommonOptions.Local(), CommonOptions.Json());
        var command = new Command("list", "The depth of each dead-letter queue.") { definition, local, json };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(ct => ListAsync(
            parse.GetValue(definition), parse.GetValue(local), parse.GetValue(json), ct), cancellationToken));
        return command;
    }

    private static async Task<int> ListAsync(FileInfo? definition, bool local, bool asJson, CancellationToken ct)
    {
        await using var context = Open(definition, local);
        var statuses = await context.Queues.ListAsync(ct);
        if (asJson)
        {
            Console.WriteLine(JsonSerializer.Serialize(statuses.ToList(), CliJsonContext.Default.ListDeadLetterQueueStatus));
            return ExitCodes.Success;
        }

        var table = new Table().AddColumns("Queue", "Name", "Waiting", "In flight");
        foreach (var status in statuses)
        {
            table.AddRow(status.Role, Markup.Escape(status.Name),
                status.Visible > 0 ? $"[red]{status.Visible}[/]" : "0", status.InFlight.ToString(CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(table);
        return ExitCodes.Success;
    }

    private static Command CreatePeek()
    {
        var (definition, local, json) = (CommonOptions.Definition(), CommonOptions.Local(), CommonOptions.Json());
        var name = QueueArgument();
        var count = new Option<int>("-n", "--max") { Description = "How many messages to show (default 10).", DefaultValueFactory = _ => 10 };
        var command = new Command("peek", "Show messages of a dead-letter queue with their error and age, leaving them in it.")
        {
            name, count, definition, local, json,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(ct => PeekAsync(
            parse.GetValue(name)!, parse.GetValue(count), parse.GetValue(definition), parse.GetValue(local), parse.GetValue(json), ct), cancellationToken));
        return command;
    }

    private static async Task<int> PeekAsync(string name, int count, FileInfo? definition, bool local, bool asJson, CancellationToken ct)
    {
        await using var context = Open(definition, local);
        var entries = await context.Queues.PeekAsync(Resolve(context, name), Positive(count), ct);
        if (asJson)
        {
            Console.WriteLine(JsonSerializer.Serialize(entries.ToList(), CliJsonContext.Default.ListDeadLetterEntry));
            return ExitCodes.Success;
        }

        if (entries.Count == 0)
        {
            Console.WriteLine("The queue is empty.");
            return ExitCodes.Success;
        }

        var table = new Table().AddColumns("Kind", "Reason", "Event", "Publisher", "Type", "Target", "Error", "Age");
        foreach (var e in entries)
        {
            table.AddRow(e.Kind, Markup.Escape(e.Reason ?? "-"), Markup.Escape(e.EventId ?? "-"), Markup.Escape(e.Publisher ?? "-"), Markup.Escape(e.EventType ?? "-"),
                Markup.Escape(e.Target ?? "-"), Markup.Escape($"{e.ErrorCode}: {e.ErrorMessage}"), Age(e.Age));
        }

        AnsiConsole.Write(table);
        return ExitCodes.Success;
    }

    private static Command CreateReplay()
    {
        var (definition, local, json) = (CommonOptions.Definition(), CommonOptions.Local(), CommonOptions.Json());
        var name = QueueArgument();
        var max = new Option<int>("--max") { Description = "Replay at most this many messages (default: all).", DefaultValueFactory = _ => int.MaxValue };
        var dryRun = new Option<bool>("--dry-run") { Description = "Read and check the messages, write nothing, delete nothing." };
        var command = new Command("replay",
            "Write each message back where it failed to go (ingestion: the Events table, idempotently; publish: the topic it recorded; archive: the bucket; webhook: its subscription's queue, attempted again on a new schedule), then delete it. The table, bucket and topics are the definition's (or PUBSUB_EVENTS_TABLE, PUBSUB_ARCHIVE_BUCKET): a message naming any other is refused. Exit 1 if any failed.")
        {
            name, max, dryRun, definition, local, json,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(ct => ReplayAsync(
            parse.GetValue(name)!, parse.GetValue(max), parse.GetValue(dryRun), parse.GetValue(definition), parse.GetValue(local), parse.GetValue(json), ct),
            cancellationToken));
        return command;
    }

    private static async Task<int> ReplayAsync(string name, int max, bool dryRun, FileInfo? definition, bool local, bool asJson, CancellationToken ct)
    {
        await using var context = Open(definition, local);
        var queue = Resolve(context, name);
        var limit = Positive(max);
        var (role, queueName) = context.Queues.Resolve(queue);
        double? total = asJson ? null : Math.Min(limit, (await context.Queues.StatusAsync(role, queueName, ct)).Visible);
        var report = await ProgressDisplay.RunAsync<ReplayReport>(asJson, $"Replaying {queue}", total, r => r.Read,
            Describe,
            progress => context.Queues.ReplayAsync(queue, limit, dryRun, progress, ct));
        if (asJson)
        {
            Console.WriteLine(JsonSerializer.Serialize(report, CliJsonContext.Default.ReplayReport));
        }
        else
        {
            var verb = report.DryRun ? "would replay" : "replayed";
            Console.WriteLine($"{queue}: read {report.Read}, {verb} {report.Replayed}, duplicates {report.Duplicates}, failed {report.Failed}, skipped {report.Skipped}.");
            foreach (var problem in report.Problems)
            {
                Console.WriteLine($"  {problem}");
            }
        }

        return report.Failed > 0 ? ExitCodes.Failure : ExitCodes.Success;
    }

    /// <summary>A progress report as a short line; a dry run replays nothing, and says so.</summary>
    internal static string Describe(ReplayReport r) =>
        $"read {r.Read}, {(r.DryRun ? "would replay" : "replayed")} {r.Replayed}, failed {r.Failed}";

    private static Command CreatePurge()
    {
        var (definition, local) = (CommonOptions.Definition(), CommonOptions.Local());
        var name = QueueArgument();
        var yes = new Option<bool>("--yes") { Description = "Confirm: the messages are deleted for good." };
        var command = new Command("purge", "Delete every message of a dead-letter queue (needs --yes).") { name, yes, definition, local };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(ct => PurgeAsync(
            parse.GetValue(name)!, parse.GetValue(yes), parse.GetValue(definition), parse.GetValue(local), ct), cancellationToken));
        return command;
    }

    private static async Task<int> PurgeAsync(string name, bool confirmed, FileInfo? definition, bool local, CancellationToken ct)
    {
        if (!confirmed)
        {
            throw new CliException("Purging deletes the messages for good; add --yes to confirm (or replay them: pubsub dlq replay).", ExitCodes.Usage);
        }

        await using var context = Open(definition, local);
        var queue = Resolve(context, name);
        await context.Queues.PurgeAsync(queue, ct);
        Console.WriteLine($"Purged {queue}.");
        return ExitCodes.Success;
    }

    private static Argument<string> QueueArgument() => new("NAME")
    {
        Description = "The queue: ingestion, publish, webhook-ID (webhook subscription ID's), or its name.",
    };

    private static string Resolve(OperationsContext context, string name)
    {
        try
        {
            return context.Queues.Resolve(name).Name;
        }
        catch (ArgumentException e)
        {
            throw new CliException(e.Message, ExitCodes.Usage);
        }
    }

    private static int Positive(int value) =>
        value > 0 ? value : throw new CliException("The count must be a positive number.", ExitCodes.Usage);

    private static string Age(TimeSpan age) => age.TotalDays >= 1 ? $"{age.TotalDays:F1} d"
        : age.TotalHours >= 1 ? $"{age.TotalHours:F1} h"
        : age.TotalMinutes >= 1 ? $"{age.TotalMinutes:F0} min"
        : $"{Math.Max(0, age.TotalSeconds):F0} s";

    private static OperationsContext Open(FileInfo? definition, bool local)
    {
        var system = CommonOptions.LoadDefinition(definition);
        CommonOptions.UseLocalStack(local);

        return new OperationsContext(system, local);
    }
}

/// <summary>The AWS clients an operations command needs, configured from the environment.</summary>
internal sealed class OperationsContext : IAsyncDisposable
{
    private readonly AmazonSQSClient _sqs = new();
    private readonly DynamoDbConditionalWriter _dynamoDb = new();
    private readonly AmazonSimpleNotificationServiceClient _sns = new();
    private readonly Amazon.S3.AmazonS3Client _s3 = AwsClientFactory.CreateS3();
    private readonly TopicDirectory _topics;
    private readonly WebhookContext _webhooks;

    /// <param name="local">Webhook letters are marked with the secrets of the local file (else SSM's).</param>
    public OperationsContext(Definition.SystemDefinition system, bool local)
    {
        _topics = new TopicDirectory(_sns, new Dictionary<string, string>());
        _webhooks = new WebhookContext(system, local);
        Queues = new DeadLetterQueues(_sqs, system, new DeadLetterReplayer(_dynamoDb, _sns, _topics, _s3,
            ReplayDestinations.Of(system, Environment.GetEnvironmentVariable), _webhooks.Redelivery), TimeProvider.System);
    }

    public DeadLetterQueues Queues { get; }

    public ValueTask DisposeAsync()
    {
        _topics.Dispose();
        _webhooks.Dispose();
        _sqs.Dispose();
        _dynamoDb.Dispose();
        _sns.Dispose();
        _s3.Dispose();
        return ValueTask.CompletedTask;
    }
}
