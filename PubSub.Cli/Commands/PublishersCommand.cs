using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PubSub.Definition;
using Spectre.Console;

namespace PubSub.Cli.Commands;

/// <summary><c>pubsub publishers list|disable|enable|throttle</c>: revoke or tighten a publisher
/// quickly by changing the system definition. The local stack applies the change at once; for AWS
/// the command says what to deploy.</summary>
internal static class PublishersCommand
{
    public static Command Create() => new("publishers", "List publishers, and disable, enable or throttle one (edits the system definition).")
    {
        CreateList(),
        CreateSwitch("disable", enabled: false),
        CreateSwitch("enable", enabled: true),
        CreateThrottle(),
    };

    private static Command CreateList()
    {
        var (definition, json) = (CommonOptions.Definition(), CommonOptions.Json());
        var command = new Command("list", "Each publisher with its plan, sensitive-data policy and state.") { definition, json };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(_ => Task.FromResult(List(parse.GetValue(definition), parse.GetValue(json))),
            cancellationToken));
        return command;
    }

    private static int List(FileInfo? definition, bool asJson)
    {
        var system = CommonOptions.LoadDefinition(definition);
        var rows = system.Publishers.Select(p => new PublisherRow(p.Name, p.Enabled, p.Plan?.RateLimit, p.Plan?.BurstLimit,
            p.Plan?.Quota is { } q ? $"{q.Limit}/{q.Period.ToString().ToLowerInvariant()}" : null,
            (p.SensitiveData ?? system.SensitiveData.DefaultPolicy).ToString().ToLowerInvariant())).ToList();
        if (asJson)
        {
            Console.WriteLine(JsonSerializer.Serialize(rows, CliJsonContext.Default.ListPublisherRow));
            return ExitCodes.Success;
        }

        var table = new Table().AddColumns("Publisher", "State", "Rate/s", "Burst", "Quota", "Sensitive data");
        foreach (var row in rows)
        {
            table.AddRow(Markup.Escape(row.Name), row.Enabled ? "enabled" : "[red]disabled[/]",
                row.RateLimit?.ToString(CultureInfo.InvariantCulture) ?? "unlimited", row.BurstLimit?.ToString(CultureInfo.InvariantCulture) ?? "-",
                row.Quota ?? "-", row.SensitiveData);
        }

        AnsiConsole.Write(table);
        return ExitCodes.Success;
    }

    private static Command CreateSwitch(string verb, bool enabled)
    {
        var definition = CommonOptions.Definition();
        var name = new Argument<string>("NAME") { Description = "The publisher." };
        var command = new Command(verb, enabled
            ? "Let a disabled publisher publish again."
            : "Revoke a publisher: its key is refused with 403 from the next request on.")
        {
            name, definition,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(
            _ => Task.FromResult(Switch(parse.GetValue(name)!, enabled, parse.GetValue(definition))), cancellationToken));
        return command;
    }

    private static int Switch(string publisher, bool enabled, FileInfo? definition)
    {
        var path = DefinitionPath(definition);
        DefinitionEditor.UpdatePublisher(path, publisher, p =>
        {
            if (enabled)
            {
                p.Remove("enabled");
            }
            else
            {
                p["enabled"] = false;
            }
        });
        Report(path, $"{publisher} {(enabled ? "enabled" : "disabled")}");
        return ExitCodes.Success;
    }

    private static Command CreateThrottle()
    {
        var definition = CommonOptions.Definition();
        var name = new Argument<string>("NAME") { Description = "The publisher." };
        var rate = new Option<double>("--rate") { Description = "Steady requests per second.", Required = true };
        var burst = new Option<int>("--burst") { Description = "Requests that may arrive at once.", Required = true };
        var quota = new Option<string?>("--quota") { Description = "Requests per period, as LIMIT/day, LIMIT/week or LIMIT/month; 'none' removes the quota." };
        var command = new Command("throttle", "Set a publisher's rate, burst and optionally quota.") { name, rate, burst, quota, definition };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(_ => Task.FromResult(Throttle(
            parse.GetValue(name)!, parse.GetValue(rate), parse.GetValue(burst), parse.GetValue(quota), parse.GetValue(definition))), cancellationToken));
        return command;
    }

    private static int Throttle(string publisher, double rate, int burst, string? quotaText, FileInfo? definition)
    {
        var path = DefinitionPath(definition);
        (long Limit, string Period)? parsedQuota = quotaText is null or "none" ? null : ParseQuota(quotaText);
        DefinitionEditor.UpdatePublisher(path, publisher, p =>
        {
            if (p["plan"] is not JsonObject plan)
            {
                plan = [];
                p["plan"] = plan;
            }

            plan["rateLimit"] = rate;
            plan["burstLimit"] = burst;
            if (quotaText == "none")
            {
                plan.Remove("quota");
            }
            else if (parsedQuota is { } q)
            {
                plan["quota"] = new JsonObject { ["limit"] = q.Limit, ["period"] = q.Period };
            }
        });
        Report(path, $"{publisher} throttled to {rate}/s, bursts of {burst}{(quotaText is null ? "" : $", quota {quotaText}")}");
        return ExitCodes.Success;
    }

    private static (long Limit, string Period) ParseQuota(string text)
    {
        var parts = text.Split('/');
        if (parts.Length == 2 && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var limit) && limit > 0
            && parts[1] is "day" or "week" or "month")
        {
            return (limit, parts[1]);
        }

        throw new CliException($"--quota must look like 10000/day (or /week, /month), not '{text}'.", ExitCodes.Usage);
    }

    private static string DefinitionPath(FileInfo? file) => CommonOptions.DefinitionPath(file);

    private static void Report(string path, string change)
    {
        Console.WriteLine($"Saved {path}: {change}.");
        Console.WriteLine("Locally: the running ingestion service reloads the definition within a second and applies it to the next request.");
        Console.WriteLine("In AWS: regenerate the stack and deploy it (its API keys and usage plans carry the change):");
        Console.WriteLine("  pubsub cfn generate -o cloudformation/pubsub.template.json && eng/deploy.sh STACK REGION  (docs/deploying.md)");
    }
}

internal sealed record PublisherRow(string Name, bool Enabled, double? RateLimit, int? BurstLimit, string? Quota, string SensitiveData);
