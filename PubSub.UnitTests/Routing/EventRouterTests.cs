using System.Text;
using PubSub.Definition;
using PubSub.Routing;

namespace PubSub.UnitTests.Routing;

public sealed class EventRouterTests
{
    private static readonly SystemDefinition Definition = SystemDefinitionLoader.Parse("""
        {
          "name": "t",
          "events": { "table": "t-events", "retentionDays": 7, "archiveBucket": "t-archive" },
          "deadLetterQueues": { "ingestion": "t-in", "publish": "t-out" },
          "topics": [ { "name": "orders" }, { "name": "audit" }, { "name": "unrouted" } ],
          "routes": [
            { "name": "orders", "pattern": { "type": [ { "prefix": "order." } ] }, "topics": [ "orders", "audit" ] },
            { "name": "big-orders", "pattern": { "type": [ { "prefix": "order." } ], "data": { "size": [ "big" ] } }, "topics": [ "audit" ] }
          ],
          "unroutedTopic": "unrouted"
        }
        """);

    private static RoutingDecision Route(SystemDefinition definition, string cloudEvent) =>
        new EventRouter(definition).Route(Encoding.UTF8.GetBytes(cloudEvent));

    [Fact]
    public void An_event_goes_to_every_topic_of_every_matching_route_each_once()
    {
        var decision = Route(Definition, """{"type":"order.created","data":{"size":"big"}}""");

        Assert.Equal(["orders", "audit"], decision.Topics);
        Assert.Equal(["orders", "big-orders"], decision.MatchedRoutes);
        Assert.False(decision.Unrouted);
    }

    [Fact]
    public void An_event_no_route_matches_goes_to_the_unrouted_topic()
    {
        var decision = Route(Definition, """{"type":"customer.created"}""");

        Assert.Equal(["unrouted"], decision.Topics);
        Assert.True(decision.Unrouted);
    }

    [Fact]
    public void Without_an_unrouted_topic_an_unmatched_event_goes_nowhere_but_is_reported()
    {
        var decision = Route(Definition with { UnroutedTopic = null }, """{"type":"customer.created"}""");

        Assert.Empty(decision.Topics);
        Assert.True(decision.Unrouted);
    }

    [Fact]
    public void Among_many_routes_the_matching_ones_are_reported_in_definition_order_wherever_they_are()
    {
        // 600 routes (more than the router keeps on the stack); the first, two in the middle and the last match.
        int[] matching = [0, 299, 300, 599];
        var routes = Enumerable.Range(0, 600).Select(i => new RouteDefinition($"r{i}",
            System.Text.Json.JsonDocument.Parse($$"""{ "type": [ "{{(matching.Contains(i) ? "order.created" : $"other.{i}")}}" ] }""").RootElement,
            [i == 599 ? "audit" : "orders"])).ToList();

        var decision = Route(Definition with { Routes = routes }, """{"type":"order.created"}""");

        Assert.Equal(["r0", "r299", "r300", "r599"], decision.MatchedRoutes);
        Assert.Equal(["orders", "audit"], decision.Topics);
    }
}
