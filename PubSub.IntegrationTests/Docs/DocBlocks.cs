using System.Text;
using System.Text.RegularExpressions;

namespace PubSub.IntegrationTests.Docs;

/// <summary>A runnable shell block of a markdown file and the output the doc shows for it (null when it shows none).</summary>
internal sealed record DocBlock(string File, int Line, string Commands, string? Expected);

/// <summary>
/// Reads the runnable blocks of the docs and compares their output with what the docs show.
/// <para>Marking: a fence whose info string is <c>bash runnable</c> is run; a fence <c>text expected</c> or
/// <c>json expected</c> right after it is the output it must give. <c>bash illustrative</c> marks a shell block
/// that is not run (starting the AppHost, syntax, packing); other fences (diagrams) are not read.</para>
/// <para>Comparison: blank lines and trailing spaces are ignored, and each expected line must equal one line of
/// the output, in order; output lines the doc leaves out (HTTP headers, say) may lie between. ISO-8601 times
/// in both are read as <c>&lt;time&gt;</c>; in an expected line <c>...</c> stands for any text and
/// <c>&lt;id&gt;</c> for one token without spaces or quotes.</para>
/// </summary>
internal static partial class DocBlocks
{
    public static IReadOnlyList<DocBlock> Parse(string file, string markdown)
    {
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var blocks = new List<DocBlock>();
        var lastFenceRunnable = false;
        for (var i = 0; i < lines.Length; i++)
        {
            // Fences indented in a list item count too: an indented runnable block must not go unrun.
            var line = lines[i].TrimStart();
            if (!line.StartsWith("```", StringComparison.Ordinal) || line.Length == 3)
            {
                if (line == "```")
                {
                    i = SkipFence(lines, i);
                    lastFenceRunnable = false;
                }

                continue;
            }

            var info = line[3..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            var start = i;
            var end = SkipFence(lines, i);
            var body = string.Join('\n', lines[(start + 1)..end]);
            i = end;
            if (info.Contains("runnable"))
            {
                blocks.Add(new DocBlock(file, start + 1, body, null));
                lastFenceRunnable = true;
            }
            else if (info.Contains("expected"))
            {
                // Only the block right before: after an illustrative one it would check an earlier command.
                if (!lastFenceRunnable || blocks[^1].Expected is not null)
                {
                    throw new FormatException($"{file}:{start + 1}: an expected block must follow a runnable block directly");
                }

                blocks[^1] = blocks[^1] with { Expected = body };
                lastFenceRunnable = false;
            }
            else
            {
                lastFenceRunnable = false;
            }
        }

        return blocks;
    }

    /// <summary>The shell fences (<c>bash</c>, <c>sh</c>, <c>shell</c>) marked neither <c>runnable</c> nor
    /// <c>illustrative</c>, as "file:line", so that no new command escapes the test unnoticed.</summary>
    public static IReadOnlyList<string> Unmarked(string file, string markdown)
    {
        var lines = markdown.Replace("\r\n", "\n", StringComparison.Ordinal).Split('\n');
        var unmarked = new List<string>();
        for (var i = 0; i < lines.Length; i++)
        {
            var line = lines[i].TrimStart();
            if (!line.StartsWith("```", StringComparison.Ordinal))
            {
                continue;
            }

            var info = line[3..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (info is ["bash" or "sh" or "shell" or "zsh" or "console" or "shell-session", ..]
                && !info.Contains("runnable") && !info.Contains("illustrative"))
            {
                unmarked.Add($"{file}:{i + 1}");
            }

            i = SkipFence(lines, i);
        }

        return unmarked;
    }

    private static int SkipFence(string[] lines, int open)
    {
        for (var j = open + 1; j < lines.Length; j++)
        {
            if (lines[j].Trim() == "```")
            {
                return j;
            }
        }

        throw new FormatException($"line {open + 1}: unclosed fence");
    }

    /// <summary>Null when the output shows what the doc shows; otherwise a readable account of the difference.</summary>
    public static string? Compare(string expected, string actual)
    {
        var want = Lines(expected);
        var have = Lines(actual);
        var next = 0;
        for (var w = 0; w < want.Count; w++)
        {
            var pattern = Pattern(want[w]);
            var found = have.FindIndex(next, line => pattern.IsMatch(line));
            if (found < 0)
            {
                var report = new StringBuilder();
                report.AppendLine("the output does not show what the doc shows; doc (> the line not found after the lines matched before it):");
                for (var k = 0; k < want.Count; k++)
                {
                    report.Append(k == w ? "> " : "  ").AppendLine(want[k]);
                }

                report.AppendLine("output (normalised):");
                foreach (var line in have)
                {
                    report.Append("  ").AppendLine(line);
                }

                return report.ToString();
            }

            next = found + 1;
        }

        return null;
    }

    private static List<string> Lines(string text) =>
        [.. text.Replace("\r", "", StringComparison.Ordinal).Split('\n').Select(l => Time().Replace(l.TrimEnd(), "<time>")).Where(l => l.Length > 0)];

    private static Regex Pattern(string expected)
    {
        var escaped = Regex.Escape(expected)
            .Replace(@"\.\.\.", ".*", StringComparison.Ordinal)
            .Replace("<id>", "[^\\s\"]+", StringComparison.Ordinal);
        return new Regex($"^{escaped}$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
    }

    [GeneratedRegex(@"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)?", RegexOptions.CultureInvariant)]
    private static partial Regex Time();
}
