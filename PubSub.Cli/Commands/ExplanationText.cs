using PubSub.Routing;

namespace PubSub.Cli.Commands;

/// <summary>Writes a pattern's explanation for a person: the verdict, which <c>$or</c> branch held, and
/// per field condition the values the event has there and whether it held.</summary>
internal static class ExplanationText
{
    /// <param name="matched">The router's verdict, written when the explainer could not explain it.</param>
    /// <param name="problem">Why there is no explanation, when <paramref name="explanation"/> is null.</param>
    public static void Write(string subject, bool matched, PatternExplanation? explanation, string? problem)
    {
        if (explanation is null)
        {
            Console.WriteLine($"{subject}: {(matched ? "matched" : "no match")} ({problem})");
            return;
        }

        var count = explanation.Branches.Count;
        var branches = count == 1 ? ""
            : explanation.MatchedBranch is { } branchIndex ? $" ($or branch {branchIndex + 1} of {count})" : $" (none of {count} $or branches)";
        Console.WriteLine($"{subject}: {(explanation.Matched ? "matched" : "no match")}{branches}");
        for (var i = 0; i < count; i++)
        {
            var branch = explanation.Branches[i];
            var indent = count == 1 ? "  " : "    ";
            if (count > 1)
            {
                Console.WriteLine($"  branch {i + 1}: {(branch.Matched ? "matched" : "no match")}");
            }

            foreach (var condition in branch.Conditions)
            {
                var seen = condition.Values.Count == 0 ? "absent" : string.Join(", ", condition.Values);
                if (condition.ValuesNotShown > 0)
                {
                    seen += $" (and {condition.ValuesNotShown} more)";
                }
                Console.WriteLine($"{indent}{(condition.Held ? "held  " : "failed")}  {condition.Field} {condition.Condition}  seen: {seen}");
            }

            if (branch.FirstFailed is { } failed)
            {
                Console.WriteLine($"{indent}first failed: {failed.Field}");
            }

            if (branch.Note is { } note)
            {
                Console.WriteLine($"{indent}{note}");
            }
        }
    }
}
