using System.Text;
using System.Text.Json;

namespace PubSub.Routing.Patterns;

/// <summary>Explains a pattern against one event: a separate, plain evaluator, slow on purpose and never
/// used for routing. It reads the event into a <see cref="JsonDocument"/>, collects every value at each
/// condition's path with the array elements it sits in, tests each condition on its own, and then
/// searches for one value per condition with no two from different elements of one array (EventBridge's
/// array rule), as the router decides in one pass.</summary>
internal static class PatternExplainer
{
    /// <summary>A bound on the search over array elements; an event past it is not explained.</summary>
    private const int MaxSearchSteps = 1_000_000;

    public static PatternExplanation Explain(JsonElement pattern, ReadOnlySpan<byte> utf8Event)
    {
        var branches = PatternCompiler.CompileBranches(pattern);
        using var document = JsonDocument.Parse(utf8Event.ToArray());
        var explained = branches.Select(b => ExplainBranch(b, document.RootElement)).ToList();
        var first = explained.FindIndex(b => b.Matched);
        return new PatternExplanation(first >= 0, first >= 0 ? first : null, explained);
    }

    private static BranchExplanation ExplainBranch(List<FieldCondition> conditions, JsonElement root)
    {
        var leaves = conditions.Select(c => LeavesAt(root, c.Path)).ToArray();
        var explained = conditions.Select((c, i) => new ConditionExplanation(
            PatternCompiler.Describe(c.Path), c.Source,
            [.. leaves[i].Take(ConditionExplanation.MaxValuesShown).Select(l => Shortened(l.Json))], Holds(c, leaves[i]),
            Math.Max(0, leaves[i].Count - ConditionExplanation.MaxValuesShown))).ToList();
        var firstFailed = explained.FirstOrDefault(c => !c.Held);
        if (firstFailed is not null)
        {
            return new BranchExplanation(false, explained, firstFailed, null);
        }

        var steps = 0;
        return Choose(conditions, leaves, 0, [], ref steps)
            ? new BranchExplanation(true, explained, null, null)
            : new BranchExplanation(false, explained, null,
                "every condition holds, but only with values from different elements of one array");
    }

    private static string Shortened(string json)
    {
        if (json.Length <= ConditionExplanation.MaxValueChars)
        {
            return json;
        }

        var cut = ConditionExplanation.MaxValueChars - 1;
        if (char.IsHighSurrogate(json[cut - 1]))
        {
            cut--; // never half a surrogate pair
        }

        return string.Concat(json.AsSpan(0, cut), "…");
    }

    private static bool Holds(FieldCondition condition, List<Leaf> leaves) =>
        leaves.Count == 0 ? condition.AllowAbsent : leaves.Any(l => Meets(condition, l));

    private static bool Choose(List<FieldCondition> conditions, List<Leaf>[] leaves, int next, List<Leaf> chosen, ref int steps)
    {
        if (next == conditions.Count)
        {
            return true;
        }

        if (leaves[next].Count == 0)
        {
            return conditions[next].AllowAbsent && Choose(conditions, leaves, next + 1, chosen, ref steps);
        }

        foreach (var leaf in leaves[next])
        {
            if (++steps > MaxSearchSteps)
            {
                throw new EventPatternException("The event's arrays are too large to explain this pattern against.");
            }

            if (Meets(conditions[next], leaf) && chosen.All(other => Consistent(leaf, other)))
            {
                chosen.Add(leaf);
                if (Choose(conditions, leaves, next + 1, chosen, ref steps))
                {
                    return true;
                }

                chosen.RemoveAt(chosen.Count - 1);
            }
        }

        return false;
    }

    /// <summary>False when the two values sit in different elements of one array.</summary>
    private static bool Consistent(Leaf a, Leaf b)
    {
        foreach (var (array, index) in a.Trail)
        {
            foreach (var (otherArray, otherIndex) in b.Trail)
            {
                if (array == otherArray && index != otherIndex)
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool Meets(FieldCondition condition, Leaf leaf) =>
        condition.Matches(new LeafValue(leaf.Kind, leaf.Utf8, leaf.Number));

    /// <param name="Json">The value as the event writes it.</param>
    /// <param name="Trail">Per array the value sits in: where the array is and which element holds the value.</param>
    private sealed record Leaf(LeafKind Kind, byte[] Utf8, double Number, string Json, (string Array, int Index)[] Trail);

    private static List<Leaf> LeavesAt(JsonElement root, string[] path)
    {
        var found = new List<Leaf>();
        Collect(root, "$", path, 0, [], directInArray: false, found);
        return found;
    }

    /// <summary>An array stands for each of its elements. A value directly in an array is not bound to
    /// its element (the array rule is about objects in array elements), so that array leaves its trail.</summary>
    private static void Collect(JsonElement value, string location, string[] path, int depth, (string, int)[] trail,
        bool directInArray, List<Leaf> found)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Array:
                var index = 0;
                foreach (var element in value.EnumerateArray())
                {
                    Collect(element, $"{location}[{index}]", path, depth, [.. trail, (location, index)], directInArray: true, found);
                    index++;
                }

                return;
            case JsonValueKind.Object:
                if (depth < path.Length)
                {
                    var position = 0;
                    foreach (var member in value.EnumerateObject())
                    {
                        // By position, so that members with one name stay different places.
                        if (member.NameEquals(path[depth]))
                        {
                            Collect(member.Value, $"{location}.{position}", path, depth + 1, trail, directInArray: false, found);
                        }

                        position++;
                    }
                }

                return;
        }

        if (depth != path.Length)
        {
            return;
        }

        var own = directInArray ? trail[..^1] : trail;
        var json = value.GetRawText();
        found.Add(value.ValueKind switch
        {
            JsonValueKind.String => new Leaf(LeafKind.String, Encoding.UTF8.GetBytes(StringOf(value)), 0, json, own),
            JsonValueKind.Number => new Leaf(LeafKind.Number, [], value.TryGetDouble(out var d) ? d : double.NaN, json, own),
            JsonValueKind.True => new Leaf(LeafKind.True, [], 0, json, own),
            JsonValueKind.False => new Leaf(LeafKind.False, [], 0, json, own),
            _ => new Leaf(LeafKind.Null, [], 0, json, own),
        });
    }

    /// <summary>As the router reads it: an escaped lone surrogate makes the event unreadable.</summary>
    private static string StringOf(JsonElement value)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException e)
        {
            throw new JsonException("A string holds an escape that is not valid UTF-16 (a lone surrogate).", e);
        }
    }
}
