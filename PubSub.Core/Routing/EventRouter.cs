using System.Text.Json;
using PubSub.Definition;

namespace PubSub.Routing;

/// <summary>The routes of a system definition, compiled once. An event goes to every topic of every
/// matching route, each topic once; when nothing matches, to the unrouted topic if there is one.</summary>
public sealed class EventRouter
{
    private readonly (string Name, EventPattern Pattern, string[] Topics)[] _routes;
    private readonly string? _unroutedTopic;

    public EventRouter(SystemDefinition definition)
    {
        _routes = [.. definition.Routes.Select(r => (r.Name, EventPattern.Compile(r.Pattern), r.Topics.ToArray()))];
        _unroutedTopic = definition.UnroutedTopic;
    }

    public RoutingDecision Route(JsonElement eventDocument)
    {
        List<string>? topics = null;
        List<string>? routes = null;
        foreach (var (name, pattern, routeTopics) in _routes)
        {
            if (!pattern.Matches(eventDocument))
            {
                continue;
            }

            (routes ??= []).Add(name);
            topics ??= [];
            foreach (var topic in routeTopics)
            {
                if (!topics.Contains(topic))
                {
                    topics.Add(topic);
                }
            }
        }

        if (topics is not null)
        {
            return new RoutingDecision(topics, routes!, Unrouted: false);
        }

        return new RoutingDecision(_unroutedTopic is null ? [] : [_unroutedTopic], [], Unrouted: true);
    }
}

/// <param name="Topics">Topic names to publish to, each once.</param>
/// <param name="MatchedRoutes">Names of the routes that matched.</param>
/// <param name="Unrouted">True when no route matched.</param>
public sealed record RoutingDecision(IReadOnlyList<string> Topics, IReadOnlyList<string> MatchedRoutes, bool Unrouted);
