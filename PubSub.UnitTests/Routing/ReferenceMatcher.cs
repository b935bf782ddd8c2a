using System.Text;
using System.Text.Json;
using PubSub.Routing.Patterns;

namespace PubSub.UnitTests.Routing;

/// <summary>A plain reading of EventBridge's array rule to check the matcher against: every leaf of
/// every tested path collected from a <see cref="JsonDocument"/> with the array elements it sits in,
/// then a search over every choice of one leaf per condition, no two from different elements of one
/// array. Exponential, and obviously right; only for small events.</summary>
internal static class ReferenceMatcher
{
    public static bool Matches(IReadOnlyList<Conjunction> conjunctions, string json)
    {
        using var document = JsonDocument.Parse(json);
        return conjunctions.Any(c => Holds(c, document.RootElement));
    }

    private static bool Holds(Conjunction conjunction, JsonElement root)
    {
        var all = conjunction.Conditions.Select(c => LeavesAt(root, c.Path)).ToArray();
        return Choose(conjunction.Conditions, all, 0, []);
    }

    private static bool Choose(FieldCondition[] conditions, List<Leaf>[] all, int next, List<Leaf> chosen)
    {
        if (next == conditions.Length)
        {
            return true;
        }

        if (all[next].Count == 0)
        {
            return conditions[next].AllowAbsent && Choose(conditions, all, next + 1, chosen);
        }

        foreach (var leaf in all[next].Where(l => Meets(conditions[next], l)))
        {
            if (chosen.All(other => Consistent(leaf, other)))
            {
                chosen.Add(leaf);
                if (Choose(conditions, all, next + 1, chosen))
                {
                    return true;
                }

                chosen.RemoveAt(chosen.Count - 1);
            }
        }

        return false;
    }

    /// <summary>False when the leaves sit in different elements of one array.</summary>
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

    private static bool Meets(FieldCondition condition, Leaf leaf)
    {
        var utf8 = Encoding.UTF8.GetBytes(leaf.Text);
        return condition.Matches(new LeafValue(leaf.Kind, utf8, leaf.Number));
    }

    /// <param name="Trail">Per array the leaf sits in, the array's location in the document and the element's index.</param>
    private sealed record Leaf(LeafKind Kind, string Text, double Number, (string Array, int Index)[] Trail);

    private static List<Leaf> LeavesAt(JsonElement root, string[] path)
    {
        var found = new List<Leaf>();
        Collect(root, "$", path, 0, [], directInArray: false, found);
        return found;
    }

    /// <summary>An array stands for each of its elements; a value directly in an array is not bound to
    /// its position (the rule is about objects in array elements), so that array leaves its trail.</summary>
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
                    // Members by position, so that duplicate names stay different places.
                    foreach (var (member, position) in value.EnumerateObject().Select((m, i) => (m, i)).Where(p => p.m.Name == path[depth]))
                    {
                        Collect(member.Value, $"{location}.{position}", path, depth + 1, trail, directInArray: false, found);
                    }
                }

                return;
        }

        if (depth != path.Length)
        {
            return;
        }

        var own = directInArray ? trail[..^1] : trail;
        found.Add(value.ValueKind switch
        {
            JsonValueKind.String => new Leaf(LeafKind.String, value.GetString()!, 0, own),
            JsonValueKind.Number => new Leaf(LeafKind.Number, "", value.TryGetDouble(out var d) ? d : double.NaN, own),
            JsonValueKind.True => new Leaf(LeafKind.True, "", 0, own),
            JsonValueKind.False => new Leaf(LeafKind.False, "", 0, own),
            _ => new Leaf(LeafKind.Null, "", 0, own),
        });
    }
}
