namespace PubSub.Routing.Patterns;

/// <summary>One field of a pattern: the event's leaf values at <see cref="Path"/> must include one that
/// an alternative matches, or, when <see cref="AllowAbsent"/> (<c>{"exists": false}</c>), there may be
/// no leaf value at all.</summary>
internal sealed class FieldCondition(string[] path, ValueMatcher[] alternatives, bool allowAbsent)
{
    public string[] Path { get; } = path;

    public ValueMatcher[] Alternatives { get; } = alternatives;

    public bool AllowAbsent { get; } = allowAbsent;

    /// <summary>The field's match values as the pattern wrote them (JSON), for explanations.</summary>
    public string Source { get; init; } = "";

    /// <summary>Assigned when the pattern joins a <see cref="PatternSet"/>.</summary>
    public int PathId { get; set; } = -1;

    public int Cost => Alternatives.Length == 0 ? 9 : Alternatives.Max(a => a.Cost);

    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public bool Matches(in LeafValue value)
    {
        if (Alternatives.Length == 1)
        {
            return Alternatives[0].Matches(value); // the usual case, without the loop
        }

        foreach (var alternative in Alternatives)
        {
            if (alternative.Matches(value))
            {
                return true;
            }
        }

        return false;
    }
}

/// <summary>An AND of field conditions: one branch of a pattern once its <c>$or</c>s are expanded.</summary>
internal sealed class Conjunction(FieldCondition[] conditions)
{
    /// <summary>Cheapest and most selective first, so that a miss is found early.</summary>
    public FieldCondition[] Conditions { get; } = [.. conditions.OrderBy(c => c.Cost)];

    /// <summary>The route (or pattern) this branch belongs to.</summary>
    public int Owner { get; set; }
}
