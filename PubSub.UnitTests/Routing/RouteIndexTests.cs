using System.Text;
using System.Text.Json;
using PubSub.Routing.Patterns;

namespace PubSub.UnitTests.Routing;

/// <summary>The route index only chooses which conjunctions to evaluate: with it and without it, every
/// event must match exactly the same routes.</summary>
public sealed class RouteIndexTests
{
    private static readonly string[] Patterns =
    [
        """{ "type": [ "order.created", "order.paid" ] }""",
        """{ "type": [ { "prefix": "order." } ], "data": { "total": [ { "numeric": [ ">", 100 ] } ] } }""",
        """{ "type": [ { "prefix": "ord" } ] }""",
        """{ "source": [ { "suffix": "/shop-1" } ] }""",
        """{ "source": [ { "suffix": "shop-1" }, { "prefix": "https://" } ] }""",
        """{ "type": [ { "equals-ignore-case": "ORDER.CREATED" } ] }""",
        """{ "type": [ { "equals-ignore-case": "ıd" } ] }""",
        """{ "source": [ { "wildcard": "https://*.example.com/shop-*" } ] }""",
        """{ "source": [ { "wildcard": "*/shop-2" } ] }""",
        """{ "source": [ { "wildcard": "https://api*" } ] }""",
        """{ "$or": [ { "type": [ "customer.created" ] }, { "subject": [ { "prefix": "orders/" } ] } ] }""",
        """{ "data": { "items": { "sku": [ "A", "B" ], "qty": [ { "numeric": [ ">=", 2 ] } ] } } }""",
        """{ "type": [ { "anything-but": "order.created" } ] }""",
        """{ "subject": [ { "exists": false } ], "type": [ "order.created" ] }""",
        """{ "type": [ "" ] }""",
        """{ "tags": [ "vip" ] }""",
    ];

    public static TheoryData<string> Events() => new()
    {
        """{"type":"order.created","source":"https://api.example.com/shop-1","data":{"total":150}}""",
        """{"type":"ORDER.created","source":"https://x/shop-2","subject":"orders/7"}""",
        """{"type":"ID","source":"shop-1"}""",
        """{"type":"order.paid","data":{"items":[{"sku":"A","qty":1},{"sku":"B","qty":3}]}}""",
        """{"type":"order.paid","data":{"items":[{"sku":"A","qty":1},{"sku":"C","qty":3}]}}""",
        """{"type":"customer.created","tags":["new","vip"]}""",
        """{"type":"","source":"https://api"}""",
        """{"type":["ord","order.created"],"source":["a","b/shop-1"]}""",
        """{"type":"or"}""",
        """{}""",
    };

    [Theory]
    [MemberData(nameof(Events))]
    public void Indexed_and_exhaustive_matching_agree(string document)
    {
        var compiled = Patterns.Select(p => PatternCompiler.Compile(JsonDocument.Parse(p).RootElement)).ToList();
        var indexed = new PatternSet(compiled);
        var exhaustive = new PatternSet(Patterns.Select(p => PatternCompiler.Compile(JsonDocument.Parse(p).RootElement)).ToList(), index: false);
        var bytes = Encoding.UTF8.GetBytes(document);
        var withIndex = new bool[Patterns.Length];
        var without = new bool[Patterns.Length];

        var count = indexed.Match(bytes, withIndex);
        Assert.Equal(exhaustive.Match(bytes, without), count);
        Assert.Equal(without, withIndex);
    }
}
