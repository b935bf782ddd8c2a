using System.CommandLine;
using System.Text.Json;
using Amazon.SimpleNotificationService;
using Amazon.SimpleNotificationService.Model;
using PubSub.Aws.SimpleNotificationService;
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
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(ct => ListAsync(
            parse.GetValue(definition), parse.GetValue(local), parse.GetValue(json), ct), cancellationToken));
        return command;
    }

    private static async Task<int> ListAsync(FileInfo? definition, bool local, bool asJson, CancellationToken ct)
    {
        var system = CommonOptions.LoadDefinition(definition);
        CommonOptions.UseLocalStack(local);

        using var sns = new AmazonSimpleNotificationServiceClient();
        using var directory = new TopicDirectory(sns, new Dictionary<string, string>());
        var rows = new List<TopicRow>();
        foreach (var topic in system.Topics)
        {
            var arn = await ArnOrNullAsync(directory, topic.Name, ct);
            rows.Add(new TopicRow(topic.Name, arn, topic.IsFifo, arn is null ? [] : await SubscriptionsAsync(sns, arn, ct)));
        }

        if (asJson)
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
    }

    /// <summary>The topic's ARN; null when it was not created (listed as such).</summary>
    private static async Task<string?> ArnOrNullAsync(TopicDirectory directory, string topic, CancellationToken ct)
    {
        try
        {
            return await directory.ArnOfAsync(topic, ct);
        }
        catch (TopicNotFoundException)
        {
            return null;
        }
    }

    /// <summary>Each subscription as protocol:endpoint.</summary>
    private static async Task<List<string>> SubscriptionsAsync(AmazonSimpleNotificationServiceClient sns, string arn, CancellationToken ct)
    {
        var subscriptions = new List<string>();
        string? next = null;
        do
        {
            var page = await sns.ListSubscriptionsByTopicAsync(new ListSubscriptionsByTopicRequest { TopicArn = arn, NextToken = next }, ct);
            subscriptions.AddRange(page.Subscriptions.Select(s => $"{s.Protocol}:{s.Endpoint}"));
            next = page.NextToken;
        }
        while (next is not null);

        return subscriptions;
    }
}

internal sealed record TopicRow(string Name, string? Arn, bool Fifo, List<string> Subscriptions);
