using System.CommandLine;
using System.Text.Json;
using PubSub.CloudFormation.Generation;
using PubSub.CloudFormation.Linting;
using PubSub.CloudFormation.Specification;
using PubSub.Definition;

namespace PubSub.Cli.Commands;

/// <summary><c>pubsub cfn generate|lint</c>: the CloudFormation stack derived from the system definition,
/// and the offline check of any template against the CloudFormation resource specification.</summary>
internal static class CfnCommand
{
    public const string TemplateFileName = "pubsub.template.json";

    public static Command Create() => new("cfn", "Generate the CloudFormation stack from the system definition, and lint templates.")
    {
        Generate(), Lint(),
    };

    private static Command Generate()
    {
        var definition = CommonOptions.Definition();
        var output = new Option<FileInfo?>("--output", "-o") { Description = "Write the template to this file (default: standard output)." };
        var check = new Option<bool>("--check")
        {
            Description = "Do not write: exit 1 if the file named by --output differs from what the definition gives (for CI).",
        };
        var command = new Command("generate", "Write the CloudFormation template for the system definition.") { definition, output, check };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(ct => GenerateAsync(
            parse.GetValue(definition), parse.GetValue(output), parse.GetValue(check), ct), cancellationToken));
        return command;
    }

    private static async Task<int> GenerateAsync(FileInfo? definition, FileInfo? output, bool check, CancellationToken ct)
    {
        var system = CommonOptions.LoadDefinition(definition);
        var template = StackTemplate.ToJson(StackTemplate.Generate(system));
        foreach (var warning in StackTemplate.Warnings(system))
        {
            Console.Error.WriteLine($"pubsub: warning: {warning}");
        }

        if (output is not { } file)
        {
            Console.Write(template);
            return ExitCodes.Success;
        }

        if (check)
        {
            var current = file.Exists ? await File.ReadAllTextAsync(file.FullName, ct) : null;
            if (current == template)
            {
                Console.WriteLine($"{file.Name} is up to date with the system definition.");
                return ExitCodes.Success;
            }

            throw new CliException($"{file.FullName} is out of date with the system definition; run: pubsub cfn generate -o {file.FullName}");
        }

        await File.WriteAllTextAsync(file.FullName, template, ct);
        Console.WriteLine($"Wrote {file.FullName} ({system.Publishers.Count} publisher(s), {system.Topics.Count} topic(s)).");
        return ExitCodes.Success;
    }

    private static Command Lint()
    {
        var files = new Argument<FileInfo[]>("FILE")
        {
            Description = "JSON or YAML templates, YAML with the short forms (!Ref, !GetAtt, !Sub, ...) (default: cloudformation/*.template.json, .yaml and .yml next to the system definition).",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var spec = new Option<FileInfo?>("--spec")
        {
            Description = $"The specification database (db.json.gz of npm @aws-cdk/aws-service-spec; default: the one shipped with pubsub, {SpecificationLocator.Variable}, or node_modules).",
        };
        var definition = CommonOptions.Definition();
        var json = CommonOptions.Json();
        var command = new Command("lint", "Check templates against the CloudFormation resource specification, offline; exit 1 on any error.")
        {
            files, spec, definition, json,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(ct => LintAsync(
            parse.GetValue(files), parse.GetValue(spec), parse.GetValue(definition), parse.GetValue(json), ct), cancellationToken));
        return command;
    }

    private static async Task<int> LintAsync(FileInfo[]? files, FileInfo? spec, FileInfo? definition, bool json, CancellationToken ct)
    {
        var targets = files is { Length: > 0 } given ? given : DefaultTemplates(definition);
        ResourceSpecification specification;
        try
        {
            specification = ResourceSpecification.Load(SpecificationLocator.Locate(spec?.FullName));
        }
        catch (Exception e) when (e is FileNotFoundException or InvalidDataException or JsonException or IOException)
        {
            throw new CliException(e.Message, ExitCodes.Usage);
        }

        var linter = new TemplateLinter(specification);
        var reports = new List<LintFileReport>();
        foreach (var file in targets)
        {
            var text = await InputFiles.ReadTextAsync(file, ct);
            reports.Add(new LintFileReport(file.FullName, [.. linter.Lint(text).Select(f => new LintFindingRow(
                f.Severity == LintSeverity.Error ? "error" : "warning", f.Path, f.Message))]));
        }

        var report = new LintReport(reports, reports.Sum(r => r.Findings.Count(f => f.Severity == "error")),
            reports.Sum(r => r.Findings.Count(f => f.Severity == "warning")));
        Print(report, json);
        return report.Errors == 0 ? ExitCodes.Success : ExitCodes.Failure;
    }

    private static FileInfo[] DefaultTemplates(FileInfo? definition)
    {
        var definitionPath = definition?.FullName ?? SystemDefinitionLoader.Find(Directory.GetCurrentDirectory())
            ?? throw new CliException("Name the templates to lint, or run in a folder with the system definition.", ExitCodes.Usage);
        var folder = Path.Combine(Path.GetDirectoryName(definitionPath)!, "cloudformation");
        string[] patterns = ["*.template.json", "*.template.yaml", "*.template.yml"];
        var found = Directory.Exists(folder) ? patterns.SelectMany(p => Directory.GetFiles(folder, p)).Order(StringComparer.Ordinal).ToArray() : [];
        return found.Length > 0
            ? [.. found.Select(f => new FileInfo(f))]
            : throw new CliException($"No *.template.json, .yaml or .yml in {folder}; name the templates to lint.", ExitCodes.Usage);
    }

    private static void Print(LintReport report, bool json)
    {
        if (json)
        {
            Console.WriteLine(JsonSerializer.Serialize(report, CliJsonContext.Default.LintReport));
            return;
        }

        foreach (var file in report.Files)
        {
            foreach (var finding in file.Findings)
            {
                Console.WriteLine($"{Path.GetFileName(file.File)}: {finding.Severity} {finding.Path}: {finding.Message}");
            }
        }

        Console.WriteLine($"{report.Files.Count} template(s): {report.Errors} error(s), {report.Warnings} warning(s).");
    }
}

internal sealed record LintReport(List<LintFileReport> Files, int Errors, int Warnings);

internal sealed record LintFileReport(string File, List<LintFindingRow> Findings);

internal sealed record LintFindingRow(string Severity, string Path, string Message);
