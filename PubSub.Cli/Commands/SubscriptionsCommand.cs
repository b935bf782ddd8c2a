using System.CommandLine;
using System.Text.Json;
using System.Text.Json.Nodes;
using Amazon.SQS;
using Amazon.SQS.Model;
using PubSub.Aws.SimpleNotificationService;
using PubSub.Aws.SimpleNotificationService.Model;
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
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async ct =>
        {
            var system = CommonOptions.LoadDefinition(parse.GetValue(definition));
            UseLocal(parse.GetValue(local));
            using var sns = new AmazonSimpleNotificationServiceClient();
            using var directory = new TopicDirectory(sns, new Dictionary<string, string>());
            var rows = new List<SubscriptionRow>();
            foreach (var name in system.Topics.Select(t => t.Name).Where(n => parse.GetValue(topic) is not { } only || only == n))
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
                    rows.AddRange(page.Subscriptions.Select(s => new SubscriptionRow(name, s.Protocol, s.Endpoint, s.SubscriptionArn)));
                    next = page.NextToken;
                }
                while (next is not null);
            }

            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(rows, CliJsonContext.Default.ListSubscriptionRow));
                return ExitCodes.Success;
            }

            var table = new Table().AddColumns("Topic", "Protocol", "Endpoint", "Subscription ARN");
            foreach (var row in rows)
            {
                table.AddRow(Markup.Escape(row.Topic), row.Protocol, Markup.Escape(row.Endpoint ?? "-"), Markup.Escape(row.SubscriptionArn));
            }

            AnsiConsole.Write(table);
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
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
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async ct =>
        {
            var system = CommonOptions.LoadDefinition(parse.GetValue(definition));
            UseLocal(parse.GetValue(local));
            var topicName = parse.GetValue(topic)!;
            if (system.Topics.All(t => t.Name != topicName))
            {
                throw new CliException($"'{topicName}' is not a topic of {system.Name}: {string.Join(", ", system.Topics.Select(t => t.Name))}.", ExitCodes.Usage);
            }

            var protocolName = parse.GetValue(protocol)!;
            if (!Protocols.Contains(protocolName))
            {
                throw new CliException($"--protocol must be one of {string.Join(", ", Protocols)}.", ExitCodes.Usage);
            }

            var attributes = new Dictionary<string, string>();
            if (parse.GetValue(filter) is { } policyFile)
            {
                attributes["FilterPolicy"] = ReadPolicy(policyFile);
                attributes["FilterPolicyScope"] = parse.GetValue(scope) switch
                {
                    "attributes" => "MessageAttributes",
                    "body" => "MessageBody",
                    var other => throw new CliException($"--filter-scope must be attributes or body, not '{other}'.", ExitCodes.Usage),
                };
            }

            if (parse.GetValue(raw))
            {
                attributes["RawMessageDelivery"] = "true";
            }

            using var sns = new AmazonSimpleNotificationServiceClient();
            using var sqs = new AmazonSQSClient();
            using var directory = new TopicDirectory(sns, new Dictionary<string, string>());
            var topicArn = await directory.ArnOfAsync(topicName, ct);
            if (parse.GetValue(dlq) is { } deadLetterQueue)
            {
                var (_, dlqArn) = await QueueAsync(sqs, deadLetterQueue, topicArn: null, ct);
                attributes["RedrivePolicy"] = new JsonObject { ["deadLetterTargetArn"] = dlqArn }.ToJsonString();
            }

            var target = parse.GetValue(endpoint)!;
            if (protocolName == "sqs" && !target.StartsWith("arn:", StringComparison.Ordinal))
            {
                (_, target) = await QueueAsync(sqs, target, topicArn, ct);
            }

            var subscription = await sns.SubscribeAsync(new SubscribeRequest
            {
                TopicArn = topicArn, Protocol = protocolName, Endpoint = target, Attributes = attributes, ReturnSubscriptionArn = true,
            }, ct);
            var row = new SubscriptionRow(topicName, protocolName, target, subscription.SubscriptionArn);
            Console.WriteLine(parse.GetValue(json)
                ? JsonSerializer.Serialize(row, CliJsonContext.Default.SubscriptionRow)
                : $"Subscribed {protocolName}:{target} to {topicName}: {subscription.SubscriptionArn}");
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    private static Command CreateRemove()
    {
        var local = CommonOptions.Local();
        var arn = new Argument<string>("SUBSCRIPTION_ARN") { Description = "The subscription (see subscriptions list)." };
        var command = new Command("remove", "Unsubscribe.") { arn, local };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async ct =>
        {
            UseLocal(parse.GetValue(local));
            using var sns = new AmazonSimpleNotificationServiceClient();
            await sns.UnsubscribeAsync(new UnsubscribeRequest(parse.GetValue(arn)!), ct);
            Console.WriteLine($"Removed {parse.GetValue(arn)}.");
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }

    private static void UseLocal(bool local)
    {
        if (local)
        {
            CommonOptions.UseLocalStack();
        }
    }

    private static string ReadPolicy(FileInfo file)
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

internal sealed record SubscriptionRow(string Topic, string Protocol, string? Endpoint, string SubscriptionArn);
