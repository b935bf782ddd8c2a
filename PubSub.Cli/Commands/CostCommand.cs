using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using PubSub.Cli.Cost;
using Spectre.Console;

namespace PubSub.Cli.Commands;

/// <summary><c>pubsub cost</c>: what a month of a steady workload costs on this stack in AWS, per service, with the
/// prices and their date, beside the same workload on EventBridge. Needs no AWS account.</summary>
internal static class CostCommand
{
    public static Command Create()
    {
        var rate = new Option<double>("--events-per-second", "-r") { Description = "Steady events per second.", Required = true };
        var batch = new Option<int>("--batch-size", "-b") { Description = "Events per request: 1, or up to 100 in a batch (default 1).", DefaultValueFactory = _ => 1 };
        var payload = new Option<double>("--payload-kib") { Description = "Each event's data in KiB (default 1).", DefaultValueFactory = _ => 1 };
        var subscribers = new Option<int>("--subscribers", "-s") { Description = "SQS subscribers of the events' topic (default 1).", DefaultValueFactory = _ => 1 };
        var region = new Option<string>("--region") { Description = "The region whose prices to use (default us-east-1, the only one confirmed).", DefaultValueFactory = _ => "us-east-1" };
        var architecture = new Option<string>("--architecture") { Description = "The functions' architecture: arm64 (default) or x86_64.", DefaultValueFactory = _ => "arm64" };
        var memory = new Option<int>("--memory-mb") { Description = $"The functions' memory in MB (default {StackProfile.DefaultMemoryMb}, as the template).", DefaultValueFactory = _ => StackProfile.DefaultMemoryMb };
        var webhooks = new Option<int>("--webhooks") { Description = "Webhook subscriptions of the events' topic (default 0).", DefaultValueFactory = _ => 0 };
        var attempts = new Option<double>("--webhook-attempts") { Description = "Attempts per webhook delivery on average (default 1: every first attempt delivers).", DefaultValueFactory = _ => 1 };
        var json = CommonOptions.Json();
        var command = new Command("cost", "Estimate a month of the stack in AWS for a workload, per service, beside EventBridge.")
        {
            rate, batch, payload, subscribers, region, architecture, memory, webhooks, attempts, json,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(_ => Task.FromResult(Run(
            new Workload(parse.GetValue(rate), parse.GetValue(batch), parse.GetValue(payload), parse.GetValue(subscribers),
                parse.GetValue(region)!, parse.GetValue(architecture)!, parse.GetValue(memory), parse.GetValue(webhooks), parse.GetValue(attempts)),
            parse.GetValue(json))), cancellationToken));
        return command;
    }

    private static int Run(Workload workload, bool asJson)
    {
        if (workload.Problem() is { } problem)
        {
            throw new CliException(problem, ExitCodes.Usage);
        }

        var estimate = CostEstimator.Estimate(workload);
        if (asJson)
        {
            Console.WriteLine(JsonSerializer.Serialize(estimate, CliJsonContext.Default.CostEstimate));
            return ExitCodes.Success;
        }

        AnsiConsole.Write(Table($"This stack: {CostEstimator.Count(estimate.EventsPerMonth)} events a month", estimate.Stack, estimate.StackTotal));
        AnsiConsole.Write(Table("The same on EventBridge (a bus, a rule per subscriber's queue)", estimate.EventBridge, estimate.EventBridgeTotal));
        Console.WriteLine("Assumptions (docs/cost.md has them in full):");
        foreach (var assumption in estimate.Assumptions)
        {
            Console.WriteLine($"  - {assumption}");
        }

        var prices = new Table().AddColumns("Price", "USD", "per");
        prices.Title = new TableTitle($"{estimate.Region} on-demand list prices, checked {estimate.PricesCheckedOn:yyyy-MM-dd} (sources: pubsub cost --json, docs/cost.md)");
        foreach (var price in estimate.Prices)
        {
            prices.AddRow(Markup.Escape(price.Name), price.Usd.ToString("0.##########", CultureInfo.InvariantCulture), Markup.Escape(price.Unit));
        }

        AnsiConsole.Write(prices);
        return ExitCodes.Success;
    }

    private static Table Table(string title, IReadOnlyList<CostLine> lines, double total)
    {
        var table = new Table { Title = new TableTitle(Markup.Escape(title)) }.AddColumns("Service", "Usage per month").AddColumn("USD per month", c => c.RightAligned());
        foreach (var line in lines)
        {
            table.AddRow(Markup.Escape(line.Service), Markup.Escape(line.Usage), Usd(line.MonthlyUsd));
        }

        table.AddRow("[bold]Total[/]", "", $"[bold]{Usd(total)}[/]");
        return table;
    }

    internal static string Usd(double usd) => usd.ToString("N2", CultureInfo.InvariantCulture);
}
