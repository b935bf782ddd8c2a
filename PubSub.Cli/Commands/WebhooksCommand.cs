using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.S3;
using Amazon.SimpleNotificationService;
using PubSub.Aws;
using PubSub.Definition;
using PubSub.Provisioning;
using PubSub.Webhooks.Signing;
using PubSub.Webhooks.Worker;
using Spectre.Console;

namespace PubSub.Cli.Commands;

/// <summary><c>pubsub webhooks add|list|disable|enable|rotate-secret</c>: webhook subscriptions, their state and their
/// secrets (<see cref="WebhookDeliveriesCommand"/>: attempts, recover, resend). A subscription lives in the definition;
/// its state in the endpoints table; its secrets where its worker reads them.</summary>
internal static class WebhooksCommand
{
    private static readonly string[] Orderings = ["none", "partitionkey"];

    public static Command Create() => new("webhooks", "Add webhook subscriptions; list, disable and enable them; rotate their secrets; see and redo their deliveries.")
    {
        CreateAdd(),
        CreateList(),
        CreateSwitch("disable", enabled: false),
        CreateSwitch("enable", enabled: true),
        CreateRotate(),
        WebhookDeliveriesCommand.CreateAttempts(),
        WebhookDeliveriesCommand.CreateRecover(),
        WebhookDeliveriesCommand.CreateResend(),
    };

    public static Argument<string> IdArgument() => new("ID") { Description = "The webhook subscription's id (see pubsub webhooks list)." };

    private static Command CreateAdd()
    {
        var (definition, local, json) = (CommonOptions.Definition(), CommonOptions.Local(), CommonOptions.Json());
        var topic = new Option<string>("--topic") { Description = "The topic (a name of the definition).", Required = true };
        var url = new Option<string>("--url") { Description = "The receiver: an https URL (http://localhost for local runs).", Required = true };
        var id = new Option<string?>("--id") { Description = "The subscription's id: 1-40 lower-case letters, digits or '-' (default: from the URL's host)." };
        var secret = new Option<string?>("--secret") { Description = "The signing secret, whsec_ and base64 (default: a new one, printed once)." };
        var filter = new Option<FileInfo?>("--filter-policy") { Description = "A file holding an SNS filter policy (on the message attributes)." };
        var rate = new Option<double?>("--rate") { Description = "Deliveries per second at most (default 50)." };
        var timeout = new Option<int?>("--timeout") { Description = "Seconds an attempt may take, 1-60 (default 15)." };
        var ordering = new Option<string?>("--ordering") { Description = "none (the default) or partitionkey: in order per CloudEvents partitionkey." };
        var command = new Command("add",
            "Add a webhook subscription to the definition and store its secret; with --local, provision its queues at once (the running worker picks it up).")
        {
            topic, url, id, secret, filter, rate, timeout, ordering, definition, local, json,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(ct => AddAsync(new AddArguments(
            parse.GetValue(topic)!, parse.GetValue(url)!, parse.GetValue(id), parse.GetValue(secret), parse.GetValue(filter), parse.GetValue(rate),
            parse.GetValue(timeout), parse.GetValue(ordering), parse.GetValue(definition), parse.GetValue(local), parse.GetValue(json)), ct), cancellationToken));
        return command;
    }

    /// <summary>What <c>pubsub webhooks add</c> was given.</summary>
    private sealed record AddArguments(string Topic, string Url, string? Id, string? Secret, FileInfo? FilterPolicy, double? Rate, int? Timeout,
        string? Ordering, FileInfo? Definition, bool Local, bool Json);

    private static async Task<int> AddAsync(AddArguments args, CancellationToken ct)
    {
        var path = CommonOptions.DefinitionPath(args.Definition);
        using var context = new WebhookContext(args.Definition, args.Local);
        WebhookSecret? given = null;
        if (args.Secret is { } text && !WebhookSecret.TryParse(text, out given, out var problem))
        {
            throw new CliException($"--secret: {problem}", ExitCodes.Usage);
        }

        if (args.Ordering is { } o && !Orderings.Contains(o))
        {
            throw new CliException($"--ordering must be none or partitionkey, not '{o}'.", ExitCodes.Usage);
        }

        var id = args.Id ?? IdFromUrl(args.Url);
        var entry = Entry(args, id);
        // Checked before the secret is stored: the validator's message for a bad URL, id, rate or topic.
        SystemDefinitionLoader.Parse(DefinitionEditor.AddSubscriptionText(File.ReadAllText(path), entry), path);

        // The secret first: a worker that saw the subscription before its secret would make one of its own (locally).
        var secret = await context.AddSecretAsync(id, given, ct);
        var system = DefinitionEditor.AddSubscription(path, entry);
        if (args.Local)
        {
            await ProvisionAsync(system, args.Json, ct);
        }

        var shown = given is null ? secret.Reveal() : null;
        if (args.Json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new WebhookAdded(id, shown), CliJsonContext.Default.WebhookAdded));
            return ExitCodes.Success;
        }

        Console.WriteLine($"Saved {path}: webhook {id} on {args.Topic} to {args.Url}.");
        Console.WriteLine($"Its secret is kept in {context.SecretsLocation(id)}.");
        if (shown is not null)
        {
            Console.WriteLine($"Secret (shown once; give it to the receiver): {shown}");
        }

        Console.WriteLine(args.Local
            ? "Its queues and SNS subscription are provisioned; the running delivery worker reloads the definition and starts delivering."
            : "In AWS: its queue, DLQ and SNS subscription come with the stack: regenerate and deploy it (docs/deploying.md).");
        return ExitCodes.Success;
    }

    /// <summary>The definition's entry, with only what was given (the defaults stay implicit).</summary>
    private static JsonObject Entry(AddArguments args, string id)
    {
        var entry = new JsonObject
        {
            ["topic"] = args.Topic, ["protocol"] = SubscriptionDefinition.WebhookProtocol, ["id"] = id, ["endpoint"] = args.Url,
        };
        if (args.FilterPolicy is { } file)
        {
            entry["filterPolicy"] = JsonNode.Parse(SubscriptionsCommand.ReadPolicy(file));
        }

        if (args.Rate is { } rate)
        {
            entry["rateLimit"] = rate;
        }

        if (args.Timeout is { } timeout)
        {
            entry["timeoutSeconds"] = timeout;
        }

        if (args.Ordering is { } ordering)
        {
            entry["ordering"] = ordering;
        }

        return entry;
    }

    /// <summary>An id from the URL's host (<c>hooks.example.com</c> -> <c>hooks-example-com</c>), within the 40 characters
    /// allowed; the validator refuses a clash with an existing id, and --id chooses another.</summary>
    internal static string IdFromUrl(string url)
    {
        var host = Uri.TryCreate(url, UriKind.Absolute, out var uri) ? uri.Host : url;
        var slug = new string([.. host.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]).Trim('-');
        slug = slug.Length > 40 ? slug[..40].TrimEnd('-') : slug;
        return slug.Length > 0 ? slug : "webhook";
    }

    private static async Task ProvisionAsync(SystemDefinition system, bool quiet, CancellationToken ct)
    {
        using var dynamoDb = new Amazon.DynamoDBv2.AmazonDynamoDBClient();
        using var sqs = new Amazon.SQS.AmazonSQSClient();
        using AmazonS3Client s3 = AwsClientFactory.CreateS3();
        using var sns = new AmazonSimpleNotificationServiceClient();
        await new LocalProvisioner(dynamoDb, sqs, s3, sns, new ConsoleLogger<LocalProvisioner>(quiet: quiet)).ProvisionAsync(system, ct);
    }

    private static Command CreateList()
    {
        var (definition, local, json) = (CommonOptions.Definition(), CommonOptions.Local(), CommonOptions.Json());
        var command = new Command("list", "Each webhook subscription with its state (enabled, disabled, open-circuit) and consecutive failures.")
        {
            definition, local, json,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(ct => ListAsync(
            parse.GetValue(definition), parse.GetValue(local), parse.GetValue(json), ct), cancellationToken));
        return command;
    }

    private static async Task<int> ListAsync(FileInfo? definition, bool local, bool asJson, CancellationToken ct)
    {
        using var context = new WebhookContext(definition, local);
        var rows = new List<WebhookRow>();
        foreach (var webhook in context.Webhooks)
        {
            var state = await context.StateAsync(webhook.Id!, ct);
            rows.Add(new WebhookRow(webhook.Id!, webhook.Endpoint, webhook.Topic, state.ListState, state.ConsecutiveFailures)
            {
                DisabledReason = state.DisabledReason,
            });
        }

        if (asJson)
        {
            Console.WriteLine(JsonSerializer.Serialize(new WebhookList(rows), CliJsonContext.Default.WebhookList));
            return ExitCodes.Success;
        }

        var table = new Table().AddColumns("Id", "Topic", "URL", "State", "Consecutive failures");
        foreach (var row in rows)
        {
            var state = row.State switch
            {
                "enabled" => "enabled",
                "disabled" => $"[red]disabled[/]{Markup.Escape(row.DisabledReason is { } r ? $" ({r})" : "")}",
                _ => $"[yellow]{row.State}[/]",
            };
            table.AddRow(Markup.Escape(row.Id), Markup.Escape(row.Topic), Markup.Escape(row.Url), state,
                row.ConsecutiveFailures.ToString(CultureInfo.InvariantCulture));
        }

        AnsiConsole.Write(table);
        return ExitCodes.Success;
    }

    private static Command CreateSwitch(string verb, bool enabled)
    {
        var (definition, local) = (CommonOptions.Definition(), CommonOptions.Local());
        var id = IdArgument();
        var reason = new Option<string?>("--reason") { Description = "Why (shown by pubsub webhooks list)." };
        var command = new Command(verb, enabled
            ? "Enable a webhook subscription again: its circuit closed, its failures forgotten."
            : "Disable a webhook subscription: what its queue holds, and what comes, goes to its DLQ until it is enabled (pubsub webhooks recover).")
        {
            id, definition, local,
        };
        if (!enabled)
        {
            command.Add(reason);
        }

        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(ct => SwitchAsync(
            parse.GetValue(id)!, enabled, parse.GetValue(reason), parse.GetValue(definition), parse.GetValue(local), ct), cancellationToken));
        return command;
    }

    private static async Task<int> SwitchAsync(string id, bool enabled, string? reason, FileInfo? definition, bool local, CancellationToken ct)
    {
        using var context = new WebhookContext(definition, local);
        context.Subscription(id);
        var transition = enabled
            ? await context.Circuits.EnableAsync(id, ct)
            : await context.Circuits.DisableAsync(id, reason ?? "disabled by an operator", ct);
        Console.WriteLine($"{id}: {transition.State.ListState}.");
        return ExitCodes.Success;
    }

    private static Command CreateRotate()
    {
        var (definition, local, json) = (CommonOptions.Definition(), CommonOptions.Local(), CommonOptions.Json());
        var id = IdArgument();
        var command = new Command("rotate-secret",
            "A new signing secret, printed once; the previous one signs too (a second signature) for the rotation window, so the receiver can switch.")
        {
            id, definition, local, json,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(ct => RotateAsync(
            parse.GetValue(id)!, parse.GetValue(definition), parse.GetValue(local), parse.GetValue(json), ct), cancellationToken));
        return command;
    }

    private static async Task<int> RotateAsync(string id, FileInfo? definition, bool local, bool asJson, CancellationToken ct)
    {
        using var context = new WebhookContext(definition, local);
        context.Subscription(id);
        var secret = await context.RotateSecretAsync(id, ct);
        if (asJson)
        {
            Console.WriteLine(JsonSerializer.Serialize(new WebhookAdded(id, secret.Reveal()), CliJsonContext.Default.WebhookAdded));
            return ExitCodes.Success;
        }

        Console.WriteLine($"New secret for {id} (shown once): {secret.Reveal()}");
        Console.WriteLine(local
            ? $"The previous one signs too for {context.LocalSecrets.RotationWindow.TotalHours:F0} h ({context.SecretsLocation(id)})."
            : $"The previous one signs too for {LocalWebhookSecretSource.DefaultRotationWindow.TotalHours:F0} h (a line of {context.SecretsLocation(id)} with its end); workers see the change within 5 minutes.");
        return ExitCodes.Success;
    }
}

/// <param name="Secret">The secret, only when it was generated (or rotated): shown once, never stored elsewhere.</param>
internal sealed record WebhookAdded(string Id, string? Secret);

internal sealed record WebhookList(List<WebhookRow> Webhooks);

/// <param name="State">enabled, disabled or open-circuit.</param>
internal sealed record WebhookRow(string Id, string Url, string Topic, string State, int ConsecutiveFailures)
{
    public string? DisabledReason { get; init; }
}
