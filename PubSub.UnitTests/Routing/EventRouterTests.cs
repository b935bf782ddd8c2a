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
}
