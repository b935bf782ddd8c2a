using System.Text.Json;
using PubSub.Definition;
using PubSub.Routing;

namespace PubSub.Cli.Commands;

/// <param name="Reason">Why the pattern was refused or the event could not be routed, when so.</param>
internal sealed record CaseOutcome(RouteCase Case, CaseVerdict Actual, string? Reason)
{
    public bool Passed => Actual == Case.Expected;
}

/// <summary>Runs cases, compiling each distinct pattern (by its JSON text) and each route once, so that
/// thousands of cases over a few patterns cost little more than the matching.</summary>
internal sealed class RouteCaseRunner(Func<SystemDefinition> loadDefinition)
{
    private readonly Dictionary<string, (EventPattern? Pattern, string? Problem)> _patterns = new(StringComparer.Ordinal);
    private Dictionary<string, RouteDefinition>? _routes;

    public CaseOutcome Run(RouteCase routeCase)
    {
        var (pattern, problem) = routeCase.Route is { } route ? RoutePattern(routeCase, route) : Compile(routeCase.Pattern!);
        if (pattern is null)
        {
            return new CaseOutcome(routeCase, CaseVerdict.Invalid, problem);
        }

        try
        {
            return new CaseOutcome(routeCase, pattern.Matches(routeCase.Event) ? CaseVerdict.Match : CaseVerdict.NoMatch, null);
        }
        catch (JsonException e)
        {
            // The line was parsed as JSON already, so this is a string JSON allows and the router does not (a lone surrogate).
            // One case's event is that case's failure: the run goes on.
            return new CaseOutcome(routeCase, CaseVerdict.Error, $"the event cannot be read: {e.Message}");
        }
        catch (RoutingBudgetExceededException e)
        {
            return new CaseOutcome(routeCase, CaseVerdict.Error,
                $"the event is beyond the routing budget (the stream publisher dead-letters it as unroutable): {e.Message}");
        }
    }

    /// <summary>Why a case's pattern matched or not: null for a refused pattern or an unroutable event; a problem
    /// instead when the explainer cannot explain this event (arrays too large for its search).</summary>
    public (PatternExplanation? Explanation, string? Problem) Explain(CaseOutcome outcome)
    {
        if (outcome.Actual is CaseVerdict.Invalid or CaseVerdict.Error)
        {
            return (null, null);
        }

        if (outcome.Case.Route is { } name)
        {
            return RoutesCommand.Explain(Routes[name].Pattern, outcome.Case.Event);
        }

        using var pattern = JsonDocument.Parse(outcome.Case.Pattern!);
        return RoutesCommand.Explain(pattern.RootElement, outcome.Case.Event);
    }

    /// <summary>The definition's routes by name (names are unique), loaded on the first route case: a lookup,
    /// not a scan, so that a case per route of a 5,000-route definition stays linear.</summary>
    private Dictionary<string, RouteDefinition> Routes => _routes ??= loadDefinition().Routes.ToDictionary(r => r.Name, StringComparer.Ordinal);

    private (EventPattern?, string?) RoutePattern(RouteCase routeCase, string name)
    {
        var key = "route:" + name;
        if (!_patterns.TryGetValue(key, out var compiled))
        {
            var route = Routes.GetValueOrDefault(name)
                        ?? throw new CliException($"line {routeCase.Line}: the definition has no route named '{name}'.", ExitCodes.Usage);
            compiled = (EventPattern.Compile(route.Pattern), null); // the definition's patterns were validated when it loaded
            _patterns[key] = compiled;
        }

        return compiled;
    }

    private (EventPattern?, string?) Compile(string patternJson)
    {
        if (!_patterns.TryGetValue(patternJson, out var compiled))
        {
            try
            {
                compiled = (EventPattern.Parse(patternJson), null);
            }
            catch (EventPatternException e)
            {
                compiled = (null, e.Message);
            }

            _patterns[patternJson] = compiled;
        }

        return compiled;
    }
}
