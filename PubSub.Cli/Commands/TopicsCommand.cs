using System.CommandLine;
using System.Text.Json;
using PubSub.Aws.SimpleNotificationService;
using PubSub.Aws.SimpleNotificationService.Model;
using Spectre.Console;

namespace PubSub.Cli.Commands;

/// <summary><c>pubsub topics list</c>: the definition's topics, their ARNs and subscriptions.</summary>
internal static class TopicsCommand
{
    public static Command Create() => new("topics", "The topics of the definition.")
    {
        CreateList(),
    };

    private static Command CreateList()
    {
        var (definition, local, json) = (CommonOptions.Definition(), CommonOptions.Local(), CommonOptions.Json());
        var command = new Command("list", "Each topic with its ARN and subscriptions (protocol, endpoint).") { definition, local, json };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(async ct =>
        {
            var system = CommonOptions.LoadDefinition(parse.GetValue(definition));
            if (parse.GetValue(local))
            {
                CommonOptions.UseLocalStack();
            }

            using var sns = new AmazonSimpleNotificationServiceClient();
            using var directory = new TopicDirectory(sns, new Dictionary<string, string>());
            var rows = new List<TopicRow>();
            foreach (var topic in system.Topics)
            {
                string? arn = null;
                var subscriptions = new List<string>();
                try
                {
                    arn = await directory.ArnOfAsync(topic.Name, ct);
                    string? next = null;
                    do
                    {
                        var page = await sns.ListSubscriptionsByTopicAsync(new ListSubscriptionsByTopicRequest { TopicArn = arn, NextToken = next }, ct);
                        subscriptions.AddRange(page.Subscriptions.Select(s => $"{s.Protocol}:{s.Endpoint}"));
                        next = page.NextToken;
                    }
                    while (next is not null);
                }
                catch (TopicNotFoundException)
                {
                    // listed as not created
                }

                rows.Add(new TopicRow(topic.Name, arn, topic.IsFifo, subscriptions));
            }

            if (parse.GetValue(json))
            {
                Console.WriteLine(JsonSerializer.Serialize(rows, CliJsonContext.Default.ListTopicRow));
                return ExitCodes.Success;
            }

            var table = new Table().AddColumns("Topic", "ARN", "Subscriptions");
            foreach (var row in rows)
            {
                table.AddRow(Markup.Escape(row.Name), row.Arn is null ? "[red]not created[/]" : Markup.Escape(row.Arn),
                    Markup.Escape(row.Subscriptions.Count == 0 ? "-" : string.Join("\n", row.Subscriptions)));
            }

            AnsiConsole.Write(table);
            return ExitCodes.Success;
        }, cancellationToken));
        return command;
    }
}

internal sealed record TopicRow(string Name, string? Arn, bool Fifo, List<string> Subscriptions);
