using System.Text.Json.Serialization;

namespace PubSub.Routing;

/// <summary>Why a pattern did or did not match an event, condition by condition.</summary>
/// <param name="Branches">One per <c>$or</c> combination (a pattern without <c>$or</c> has one).</param>
/// <param name="MatchedBranch">The first branch that matched (0-based), or null.</param>
public sealed record PatternExplanation(bool Matched, int? MatchedBranch, IReadOnlyList<BranchExplanation> Branches);

/// <param name="Conditions">The branch's field conditions in the order the pattern writes them.</param>
/// <param name="FirstFailed">The first condition that did not hold, when one did not.</param>
/// <param name="Note">Why a branch whose every condition held still did not match: the values that
/// meet them sit in different elements of one array.</param>
public sealed record BranchExplanation(
    bool Matched, IReadOnlyList<ConditionExplanation> Conditions, ConditionExplanation? FirstFailed, string? Note);

/// <param name="Field">The field's path, dotted.</param>
/// <param name="Condition">The field's match values as the pattern writes them (JSON).</param>
/// <param name="Values">The event's values at that path (JSON), none when the field is absent: the first
/// <see cref="MaxValuesShown"/>, each cut to <see cref="MaxValueChars"/> characters (ending in "…" when cut), so that
/// an event of thousands of array elements or one long string gives an explanation a person can read.</param>
/// <param name="Held">Whether some value meets the condition (or, for <c>{"exists": false}</c>, none is there).</param>
/// <param name="ValuesNotShown">How many more values the event has at that path (all of them were tested).</param>
public sealed record ConditionExplanation(
    string Field, string Condition, IReadOnlyList<string> Values, bool Held,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingDefault)] int ValuesNotShown = 0)
{
    public const int MaxValuesShown = 10;

    public const int MaxValueChars = 200;
}
