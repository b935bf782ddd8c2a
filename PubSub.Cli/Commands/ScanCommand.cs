using System.CommandLine;
using System.Text.Json;
using PubSub.Sensitive;

namespace PubSub.Cli.Commands;

/// <summary><c>pubsub scan FILE</c>: the sensitive-data findings of a JSON file, as ingestion would
/// find them. Exit code 0 when clean, 1 when anything was found, 2 when the file is not JSON.</summary>
internal static class ScanCommand
{
    public static Command Create()
    {
        var file = new Argument<FileInfo>("FILE") { Description = "A JSON file (an event, its data, any document)." };
        var json = CommonOptions.Json();
        var command = new Command("scan", "Find sensitive data (cards, SSNs, emails, phones, IBANs, AWS keys, private keys, JWTs) in a JSON file.")
        {
            file, json,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(ct => ScanAsync(parse.GetValue(file)!, parse.GetValue(json), ct),
            cancellationToken));
        return command;
    }

    private static async Task<int> ScanAsync(FileInfo path, bool json, CancellationToken ct)
    {
        var bytes = await InputFiles.ReadBytesAsync(path, ct);
        List<SensitiveFinding> findings;
        try
        {
            findings = SensitiveDataScanner.Scan(bytes);
        }
        catch (JsonException e)
        {
            throw new CliException($"{path.Name} is not JSON: {e.Message}", ExitCodes.Usage);
        }

        Print(findings, json);
        return findings.Count == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }

    private static void Print(List<SensitiveFinding> findings, bool json)
    {
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(new ScanReport(findings), CliJsonContext.Default.ScanReport));
            return;
        }

        if (findings.Count == 0)
        {
            Console.WriteLine("No sensitive data found.");
            return;
        }

        var width = findings.Max(f => f.Detector.Length);
        var pathWidth = findings.Max(f => f.Path.Length);
        foreach (var finding in findings)
        {
            Console.WriteLine($"{finding.Detector.PadRight(width)}  {finding.Path.PadRight(pathWidth)}  {finding.Sample}");
        }

        Console.WriteLine($"{findings.Count} finding(s).");
    }
}

internal sealed record ScanReport(List<SensitiveFinding> Findings);
