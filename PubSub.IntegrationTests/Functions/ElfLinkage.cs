using System.Text.RegularExpressions;
using PubSub.IntegrationTests.Cli;

namespace PubSub.IntegrationTests.Functions;

/// <summary>What an ELF executable asks of the system that loads it, read by GNU <c>readelf</c> (binutils), an
/// independent parser that reads any architecture's ELF: its machine, its program interpreter (the loader's path), its <c>DT_NEEDED</c> libraries and the
/// symbol versions it requires (the <c>.gnu.version_r</c> section, one entry per version any of its symbols needs).</summary>
internal sealed partial record ElfLinkage(string Machine, string? Interpreter, IReadOnlyList<string> Needed, IReadOnlyList<string> RequiredVersions)
{
    public static async Task<ElfLinkage> ReadAsync(string path)
    {
        var result = await CliRunner.RunProgramAsync("readelf", ["--file-header", "--program-headers", "--dynamic", "--version-info", "--wide", path],
            Path.GetDirectoryName(path)!, new Dictionary<string, string?> { ["LC_ALL"] = "C" });
        if (result.ExitCode != 0)
        {
            throw new InvalidOperationException($"readelf failed on {path}: {result.Stderr}");
        }

        var lines = result.Stdout.Split('\n');
        var machine = lines.Select(l => MachineLine().Match(l)).Single(m => m.Success).Groups[1].Value.Trim();
        var interpreter = lines.Select(l => InterpreterLine().Match(l)).FirstOrDefault(m => m.Success)?.Groups[1].Value;
        var needed = lines.Select(l => NeededLine().Match(l)).Where(m => m.Success).Select(m => m.Groups[1].Value).ToList();

        // Only the version needs section: the version definitions and the per-symbol table name versions too.
        var required = lines
            .SkipWhile(l => !l.StartsWith("Version needs section", StringComparison.Ordinal))
            .Skip(1)
            .TakeWhile(l => l.Length > 0 && !l.StartsWith("Version ", StringComparison.Ordinal))
            .Select(l => VersionNeedName().Match(l))
            .Where(m => m.Success)
            .Select(m => m.Groups[1].Value)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return new ElfLinkage(machine, interpreter, needed, required);
    }

    [GeneratedRegex(@"^\s*Machine:\s+(.+)$")]
    private static partial Regex MachineLine();

    [GeneratedRegex(@"\[Requesting program interpreter: ([^\]]+)\]")]
    private static partial Regex InterpreterLine();

    [GeneratedRegex(@"\(NEEDED\)\s+Shared library: \[([^\]]+)\]")]
    private static partial Regex NeededLine();

    [GeneratedRegex(@"\sName: (\S+)")]
    private static partial Regex VersionNeedName();
}
