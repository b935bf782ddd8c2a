using System.Text;
using System.Text.Json;
using PubSub.Routing.Patterns;

namespace PubSub.Routing;

/// <summary>A compiled Amazon EventBridge event pattern: exact values (strings, numbers, booleans,
/// null, the empty string), <c>prefix</c>, <c>suffix</c> (both also with <c>equals-ignore-case</c>),
/// <c>equals-ignore-case</c>, <c>wildcard</c>, <c>anything-but</c> (a value, a list, <c>prefix</c>,
/// <c>suffix</c>, <c>equals-ignore-case</c>, <c>wildcard</c>), <c>numeric</c>, <c>exists</c>,
/// <c>cidr</c> and <c>$or</c>, with EventBridge's array semantics. Patterns EventBridge would refuse
/// throw <see cref="EventPatternException"/> when compiled.</summary>
public sealed class EventPattern
{
    private readonly PatternSet _set;

    private EventPattern(PatternSet set) => _set = set;

    public static EventPattern Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return Compile(document.RootElement);
        }
        catch (JsonException e)
        {
            throw new EventPatternException($"The pattern is not valid JSON: {e.Message}", e);
        }
    }

    public static EventPattern Compile(JsonElement pattern) => new(new PatternSet([PatternCompiler.Compile(pattern)]));

    /// <summary>Compiles only to check; throws <see cref="EventPatternException"/> naming the problem.</summary>
    public static void Validate(JsonElement pattern) => PatternCompiler.Compile(pattern);

    /// <summary>Explains a pattern against an event, condition by condition, with a separate evaluator
    /// that is much slower than <see cref="Matches(ReadOnlySpan{byte})"/> and meant for people, not routing;
    /// its verdict is the same.</summary>
    /// <exception cref="EventPatternException">The pattern is invalid, or the event's arrays are too large to explain.</exception>
    /// <exception cref="JsonException">The event is not valid JSON.</exception>
    public static PatternExplanation Explain(JsonElement pattern, ReadOnlySpan<byte> utf8Event) =>
        PatternExplainer.Explain(pattern, utf8Event);

    /// <summary>True when the JSON document (UTF-8) matches.</summary>
    /// <exception cref="JsonException">The document is not valid JSON.</exception>
    public bool Matches(ReadOnlySpan<byte> utf8Json)
    {
        Span<bool> matched = stackalloc bool[1];
        return _set.Match(utf8Json, matched) == 1;
    }

    /// <inheritdoc cref="Matches(ReadOnlySpan{byte})"/>
    public bool Matches(string json) => Matches(Encoding.UTF8.GetBytes(json));
}
