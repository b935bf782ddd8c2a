using System.CommandLine;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.SQS;
using Amazon.SQS.Model;
using Amazon.SimpleNotificationService;
using Amazon.SimpleNotificationService.Model;
using PubSub.Aws.SimpleNotificationService;
using Spectre.Console;

namespace PubSub.Cli.Commands;

/// <summary><c>pubsub subscriptions list|add|remove</c>: who receives what. A subscriber may subscribe
/// to as many topics as it wants, each with its own filter policy, raw delivery and dead-letter queue.</summary>
internal static class SubscriptionsCommand
{
    private static readonly string[] Protocols = ["sqs", "https", "http", "email", "email-json", "sms", "lambda"];

    public static Command Create() => new("subscriptions", "List, add and remove topic subscriptions.")
    {
        CreateList(),
        CreateAdd(),
        CreateRemove(),
    };

    private static Command CreateList()
    {
        var (definition, local, json) = (CommonOptions.Definition(), CommonOptions.Local(), CommonOptions.Json());
        var topic = new Option<string?>("--topic") { Description = "Only this topic's subscriptions." };
        var command = new Command("list", "Every subscription of the definition's topics.") { topic, definition, local, json };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(ct => ListAsync(
            parse.GetValue(topic), parse.GetValue(definition), parse.GetValue(local), parse.GetValue(json), ct), cancellationToken));
        return command;
    }

    private static async Task<int> ListAsync(string? topic, FileInfo? definition, bool local, bool asJson, CancellationToken ct)
    {
        var system = CommonOptions.LoadDefinition(definition);
        CommonOptions.UseLocalStack(local);
        using var sns = new AmazonSimpleNotificationServiceClient();
        using var directory = new TopicDirectory(sns, new Dictionary<string, string>());
        var rows = new List<SubscriptionRow>();
        foreach (var name in system.Topics.Select(t => t.Name).Where(n => topic is not { } only || only == n))
        {
            string arn;
            try
            {
                arn = await directory.ArnOfAsync(name, ct);
            }
            catch (TopicNotFoundException)
            {
                continue;
            }

            string? next = null;
            do
            {
                var page = await sns.ListSubscriptionsByTopicAsync(new ListSubscriptionsByTopicRequest { TopicArn = arn, NextToken = next }, ct);
                foreach (var s in page.Subscriptions)
                {
                    rows.Add(await RowAsync(sns, name, s, ct));
                }

                next = page.NextToken;
            }
            while (next is not null);
        }

        if (asJson)
        {
            Console.WriteLine(JsonSerializer.Serialize(rows, CliJsonContext.Default.ListSubscriptionRow));
            return ExitCodes.Success;
        }

        var table = new Table().AddColumns("Topic", "Protocol", "Endpoint", "Filter policy", "Raw", "Subscription ARN");
        foreach (var row in rows)
        {
            table.AddRow(Markup.Escape(row.Topic), row.Protocol, Markup.Escape(row.Endpoint ?? "-"), Markup.Escape(FilterText(row)),
                row.RawMessageDelivery ? "yes" : "no", Markup.Escape(row.SubscriptionArn));
        }

        AnsiConsole.Write(table);
        return ExitCodes.Success;
    }

    /// <summary>A subscription with its filter policy and raw delivery, which SNS lists only one subscription at a time.</summary>
    private static async Task<SubscriptionRow> RowAsync(AmazonSimpleNotificationServiceClient sns, string topic, Subscription s, CancellationToken ct)
    {
        var row = new SubscriptionRow(topic, s.Protocol, s.Endpoint, s.SubscriptionArn);
        if (!s.SubscriptionArn.StartsWith("arn:", StringComparison.Ordinal))
        {
            return row; // "PendingConfirmation": no attributes to ask for yet
        }

        var attributes = (await sns.GetSubscriptionAttributesAsync(new GetSubscriptionAttributesRequest(s.SubscriptionArn), ct)).Attributes;
        return WithAttributes(row, attributes);
    }

    /// <summary>The row with the filter policy (as compact JSON), its scope and raw delivery of SNS's attributes.</summary>
    internal static SubscriptionRow WithAttributes(SubscriptionRow row, IReadOnlyDictionary<string, string> attributes)
    {
        var policy = attributes.GetValueOrDefault("FilterPolicy") is { Length: > 0 } text ? Compact(text) : null;
        return row with
        {
            FilterPolicy = policy,
            FilterPolicyScope = policy is null ? null : attributes.GetValueOrDefault("FilterPolicyScope") ?? "MessageAttributes",
            RawMessageDelivery = string.Equals(attributes.GetValueOrDefault("RawMessageDelivery"), "true", StringComparison.OrdinalIgnoreCase),
        };
    }

    /// <summary>The filter policy as one line, with " (body)" when it filters the message body.</summary>
    internal static string FilterText(SubscriptionRow row) => row.FilterPolicy is not { } policy
        ? "-"
        : row.FilterPolicyScope == "MessageBody" ? $"{policy} (body)" : policy;

    /// <summary>A policy shown as written: the default encoder would print <c>"&gt;"</c> as <c>"\u003E"</c>.</summary>
    private static readonly JsonSerializerOptions Unescaped = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Compact(string json)
    {
        try
        {
            return JsonNode.Parse(json)?.ToJsonString(Unescaped) ?? json;
        }
        catch (JsonException)
        {
            return json;
        }
    }

    private static Command CreateAdd()
    {
        var (definition, local, json) = (CommonOptions.Definition(), CommonOptions.Local(), CommonOptions.Json());
        var topic = new Option<string>("--topic") { Description = "The topic (a name of the definition).", Required = true };
        var protocol = new Option<string>("--protocol") { Description = $"One of {string.Join(", ", Protocols)}.", Required = true };
        var endpoint = new Option<string>("--endpoint")
        {
            Description = "sqs: a queue name (created if missing) or ARN; https: a URL; email: an address; sms: a phone number; lambda: a function ARN.",
            Required = true,
        };
        var filter = new Option<FileInfo?>("--filter-policy") { Description = "A file holding an SNS filter policy." };
        var scope = new Option<string>("--filter-scope") { Description = "attributes (message attributes) or body (the CloudEvent).", DefaultValueFactory = _ => "attributes" };
        var raw = new Option<bool>("--raw") { Description = "Raw message delivery: the CloudEvent itself, without SNS's envelope." };
        var dlq = new Option<string?>("--dlq") { Description = "A queue (created if missing) for messages SNS cannot deliver to this subscriber." };
        var command = new Command("add", "Subscribe an endpoint to a topic.") { topic, protocol, endpoint, filter, scope, raw, dlq, definition, local, json };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(ct => AddAsync(new AddArguments(
            parse.GetValue(topic)!, parse.GetValue(protocol)!, parse.GetValue(endpoint)!, parse.GetValue(filter), parse.GetValue(scope)!, parse.GetValue(raw),
            parse.GetValue(dlq), parse.GetValue(definition), parse.GetValue(local), parse.GetValue(json)), ct), cancellationToken));
        return command;
    }

    /// <summary>What <c>pubsub subscriptions add</c> was given.</summary>
    private sealed record AddArguments(string Topic, string Protocol, string Endpoint, FileInfo? FilterPolicy, string FilterScope, bool Raw,
        string? DeadLetterQueue, FileInfo? Definition, bool Local, bool Json);

    private static async Task<int> AddAsync(AddArguments args, CancellationToken ct)
    {
        var system = CommonOptions.LoadDefinition(args.Definition);
        CommonOptions.UseLocalStack(args.Local);
        if (system.Topics.All(t => t.Name != args.Topic))
        {
            throw new CliException($"'{args.Topic}' is not a topic of {system.Name}: {string.Join(", ", system.Topics.Select(t => t.Name))}.", ExitCodes.Usage);
        }

        if (!Protocols.Contains(args.Protocol))
        {
            throw new CliException($"--protocol must be one of {string.Join(", ", Protocols)}.", ExitCodes.Usage);
        }

        var attributes = SubscriptionAttributes(args);
        using var sns = new AmazonSimpleNotificationServiceClient();
        using var sqs = new AmazonSQSClient();
        using var directory = new TopicDirectory(sns, new Dictionary<string, string>());
        var topicArn = await directory.ArnOfAsync(args.Topic, ct);
        if (args.DeadLetterQueue is { } deadLetterQueue)
        {
            var (_, dlqArn) = await QueueAsync(sqs, deadLetterQueue, topicArn: null, ct);
            attributes["RedrivePolicy"] = new JsonObject { ["deadLetterTargetArn"] = dlqArn }.ToJsonString();
        }

        var target = args.Endpoint;
        if (args.Protocol == "sqs" && !target.StartsWith("arn:", StringComparison.Ordinal))
        {
            (_, target) = await QueueAsync(sqs, target, topicArn, ct);
        }

        var subscription = await sns.SubscribeAsync(new SubscribeRequest
        {
            TopicArn = topicArn, Protocol = args.Protocol, Endpoint = target, Attributes = attributes, ReturnSubscriptionArn = true,
        }, ct);
        var row = WithAttributes(new SubscriptionRow(args.Topic, args.Protocol, target, subscription.SubscriptionArn), attributes);
        Console.WriteLine(args.Json
            ? JsonSerializer.Serialize(row, CliJsonContext.Default.SubscriptionRow)
            : $"Subscribed {args.Protocol}:{target} to {args.Topic}: {subscription.SubscriptionArn}");
        return ExitCodes.Success;
    }

    /// <summary>The filter policy, its scope and raw delivery, as SNS subscription attributes.</summary>
    private static Dictionary<string, string> SubscriptionAttributes(AddArguments args)
    {
        var attributes = new Dictionary<string, string>();
        if (args.FilterPolicy is { } policyFile)
        {
            attributes["FilterPolicy"] = ReadPolicy(policyFile);
            attributes["FilterPolicyScope"] = args.FilterScope switch
            {
                "attributes" => "MessageAttributes",
                "body" => "MessageBody",
                var other => throw new CliException($"--filter-scope must be attributes or body, not '{other}'.", ExitCodes.Usage),
            };
        }

        if (args.Raw)
        {
            attributes["RawMessageDelivery"] = "true";
        }

        return attributes;
    }

    private static Command CreateRemove()
    {
        var local = CommonOptions.Local();
        var arn = new Argument<string>("SUBSCRIPTION_ARN") { Description = "The subscription (see subscriptions list)." };
        var command = new Command("remove", "Unsubscribe.") { arn, local };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(ct => RemoveAsync(parse.GetValue(arn)!, parse.GetValue(local), ct),
            cancellationToken));
        return command;
    }

    private static async Task<int> RemoveAsync(string subscriptionArn, bool local, CancellationToken ct)
    {
        CommonOptions.UseLocalStack(local);
        using var sns = new AmazonSimpleNotificationServiceClient();
        await sns.UnsubscribeAsync(new UnsubscribeRequest(subscriptionArn), ct);
        Console.WriteLine($"Removed {subscriptionArn}.");
        return ExitCodes.Success;
    }

    internal static string ReadPolicy(FileInfo file)
    {
        try
        {
            var text = File.ReadAllText(file.FullName);
            using var parsed = JsonDocument.Parse(text);
            return parsed.RootElement.ValueKind == JsonValueKind.Object
                ? parsed.RootElement.GetRawText()
                : throw new CliException($"{file.Name} must hold a JSON object (an SNS filter policy).", ExitCodes.Usage);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            throw new CliException($"Cannot use {file.FullName} as a filter policy: {e.Message}", ExitCodes.Usage);
        }
    }

    /// <summary>Creates the queue if missing; when <paramref name="topicArn"/> is given, lets that topic
    /// send to it (AWS requires the queue policy; emulators ignore it), keeping other statements.</summary>
    private static async Task<(string Url, string Arn)> QueueAsync(AmazonSQSClient sqs, string name, string? topicArn, CancellationToken ct)
    {
        var url = (await sqs.CreateQueueAsync(name, ct)).QueueUrl;
        var attributes = await sqs.GetQueueAttributesAsync(url, ["QueueArn", "Policy"], ct);
        var arn = attributes.QueueARN;
        if (topicArn is not null)
        {
            var policy = attributes.Attributes.TryGetValue("Policy", out var existing) && JsonNode.Parse(existing) is JsonObject o
                ? o
                : new JsonObject { ["Version"] = "2012-10-17", ["Statement"] = new JsonArray() };
            var statements = policy["Statement"] as JsonArray ?? [];
            var sid = "pubsub-" + topicArn.Split(':')[^1];
            if (statements.All(s => s?["Sid"]?.GetValue<string>() != sid))
            {
                statements.Add(new JsonObject
                {
                    ["Sid"] = sid,
                    ["Effect"] = "Allow",
                    ["Principal"] = new JsonObject { ["Service"] = "sns.amazonaws.com" },
                    ["Action"] = "sqs:SendMessage",
                    ["Resource"] = arn,
                    ["Condition"] = new JsonObject { ["ArnEquals"] = new JsonObject { ["aws:SourceArn"] = topicArn } },
                });
                policy["Statement"] = statements.Parent is null ? statements : statements.DeepClone();
                await sqs.SetQueueAttributesAsync(new SetQueueAttributesRequest
                {
                    QueueUrl = url, Attributes = new Dictionary<string, string> { ["Policy"] = policy.ToJsonString() },
                }, ct);
            }
        }

        return (url, arn);
    }
}

internal sealed record SubscriptionRow(string Topic, string Protocol, string? Endpoint, string SubscriptionArn)
{
    /// <summary>The SNS filter policy, or null when the subscriber receives every message.</summary>
    public string? FilterPolicy { get; init; }

    /// <summary>MessageAttributes or MessageBody, when there is a filter policy.</summary>
    public string? FilterPolicyScope { get; init; }

    public bool RawMessageDelivery { get; init; }
}
