using System.Text.Json;
using PubSub.Routing.Patterns;

namespace PubSub.Routing;

/// <summary>Many event patterns compiled together (a router's routes), so that an event is read once
/// for all of them and only the patterns that could match it are evaluated.</summary>
public sealed class EventPatternSet
{
    /// <summary>The most work matching one event may take unless the caller sets a budget, in steps: a
    /// leaf read from the event, a value tested against a condition, an array element grouped.</summary>
    public const int DefaultStepBudget = 1_000_000;

    private readonly PatternSet _set;

    /// <param name="patterns">The patterns, in the order <see cref="Match"/> reports them.</param>
    /// <param name="patternName">The name of pattern <c>i</c>, for the message of a compile error.</param>
    /// <exception cref="EventPatternException">A pattern is invalid; the message starts with its name.</exception>
    public EventPatternSet(IReadOnlyList<JsonElement> patterns, Func<int, string> patternName)
    {
        ArgumentNullException.ThrowIfNull(patterns);
        ArgumentNullException.ThrowIfNull(patternName);
        var compiled = new List<List<Conjunction>>(patterns.Count);
        for (var i = 0; i < patterns.Count; i++)
        {
            try
            {
                compiled.Add(PatternCompiler.Compile(patterns[i]));
            }
            catch (EventPatternException e)
            {
                throw new EventPatternException($"{patternName(i)}: {e.Message}", e);
            }
        }

        _set = new PatternSet(compiled);
    }

    /// <summary>How many patterns the set holds.</summary>
    public int Count => _set.PatternCount;

    /// <summary>Marks in <paramref name="matched"/> (one entry per pattern) the patterns that match the
    /// event (UTF-8 JSON); returns how many did.</summary>
    /// <exception cref="JsonException">The event is not valid JSON.</exception>
    /// <exception cref="RoutingBudgetExceededException">Matching needed more than <paramref name="stepBudget"/> steps.</exception>
    public int Match(ReadOnlySpan<byte> utf8Json, Span<bool> matched, long stepBudget = DefaultStepBudget) =>
        _set.Match(utf8Json, matched, stepBudget);
}
