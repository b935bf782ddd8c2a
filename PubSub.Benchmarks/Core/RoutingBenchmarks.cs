using System.Globalization;
using System.Text;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using PubSub.Definition;
using PubSub.Routing;

namespace PubSub.Benchmarks.Core;

/// <summary>Routing a 1 KiB structured CloudEvent (UTF-8 JSON, as the stream publisher holds it):
/// against one exact route, one prefix route, one route on a field of <c>data</c> (which must read the
/// whole event), and 500 routes of mixed operators. One operation is one event routed.</summary>
[MemoryDiagnoser]
[MedianColumn]
public class RoutingBenchmarks
{
    private byte[] _event = [];
    private EventRouter _exact = null!;
    private EventRouter _prefix = null!;
    private EventRouter _dataField = null!;
    private EventRouter _mixed500 = null!;

    [GlobalSetup]
    public void Setup()
    {
        _event = Encoding.UTF8.GetBytes(SampleEvent());
        if (_event.Length is < 900 or > 1200)
        {
            throw new InvalidOperationException($"The sample event should be about 1 KiB, not {_event.Length} bytes.");
        }

        _exact = Router("""{ "type": [ "order.created" ] }""");
        _prefix = Router("""{ "type": [ { "prefix": "order." } ] }""");
        _dataField = Router("""{ "data": { "currency": [ "EUR" ] } }""");
        _mixed500 = Router([.. MixedPatterns(500)]);
        foreach (var router in new[] { _exact, _prefix, _dataField })
        {
            if (router.Route(_event).Unrouted)
            {
                throw new InvalidOperationException("Each single route must match the sample event.");
            }
        }

        var matched = _mixed500.Route(_event).MatchedRoutes.Count;
        Console.WriteLine($"// 500 mixed routes: {matched} match the sample event");
    }

    [Benchmark(Description = "1 exact route (type)")]
    public RoutingDecision Exact() => _exact.Route(_event);

    [Benchmark(Description = "1 prefix route (type)")]
    public RoutingDecision Prefix() => _prefix.Route(_event);

    [Benchmark(Description = "1 exact route on data.currency")]
    public RoutingDecision DataField() => _dataField.Route(_event);

    [Benchmark(Description = "500 routes, mixed operators")]
    public RoutingDecision Mixed500() => _mixed500.Route(_event);

    /// <summary>Routes as a definition of many publishers and subscribers would have them: most name an
    /// event type or source exactly and add conditions on the data with every kind of operator.</summary>
    public static IEnumerable<string> MixedPatterns(int count)
    {
        var random = new Random(42);
        string[] entities = ["order", "customer", "invoice", "shipment", "payment", "refund", "cart", "user"];
        string[] verbs = ["created", "updated", "deleted", "shipped", "paid", "failed"];
        for (var i = 0; i < count; i++)
        {
            var type = $"{entities[random.Next(entities.Length)]}.{verbs[random.Next(verbs.Length)]}";
            var n = i.ToString(CultureInfo.InvariantCulture);
            yield return (i % 10) switch
            {
                0 => $$"""{ "type": [ "{{type}}" ], "data": { "total": [ { "numeric": [ ">", {{random.Next(0, 500)}}, "<=", {{random.Next(500, 5000)}} ] } ] } }""",
                1 => $$"""{ "type": [ { "prefix": "{{type.Split('.')[0]}}." } ], "data": { "currency": [ { "anything-but": [ "USD", "GBP" ] } ] } }""",
                2 => $$"""{ "source": [ { "suffix": "/shop-{{n}}" } ], "type": [ "{{type}}" ] }""",
                3 => $$"""{ "type": [ { "equals-ignore-case": "{{type.ToUpperInvariant()}}" } ], "data": { "customer": { "tier": [ "gold", "platinum" ] } } }""",
                4 => $$"""{ "type": [ "{{type}}" ], "data": { "ip": [ { "cidr": "10.{{random.Next(0, 255)}}.0.0/16" } ] } }""",
                5 => $$"""{ "source": [ { "wildcard": "https://*.example.com/shop-{{n}}" } ], "data": { "express": [ true ] } }""",
                6 => $$"""{ "type": [ "{{type}}" ], "data": { "coupon": [ { "exists": false } ], "items": { "sku": [ "SKU-{{n}}" ] } } }""",
                7 => $$"""{ "$or": [ { "type": [ "{{type}}" ] }, { "subject": [ { "prefix": "orders/{{n}}" } ] } ] }""",
                8 => $$"""{ "publisher": [ "publisher-{{n}}" ], "type": [ { "anything-but": { "prefix": "test." } } ] }""",
                _ => $$"""{ "type": [ "{{type}}" ], "data": { "customer": { "country": [ { "anything-but": { "equals-ignore-case": [ "us", "ca" ] } } ] } } }""",
            };
        }
    }

    internal static EventRouter Router(params string[] patterns)
    {
        var routes = patterns.Select((p, i) => new RouteDefinition($"r{i}", JsonDocument.Parse(p).RootElement, ["t"])).ToList();
        return new EventRouter(new SystemDefinition
        {
            Name = "bench",
            Events = new EventStoreDefinition("events", 7, "archive"),
            DeadLetterQueues = new DeadLetterQueuesDefinition("in", "out"),
            Topics = [new TopicDefinition("t")],
            Routes = routes,
        });
    }

    public static string SampleEvent() => """
        {"specversion":"1.0","id":"3f8c2a8e-6d1b-4c35-9a57-0b6f1f0e9d21","source":"https://api.example.com/shop-17","type":"order.created","subject":"orders/100017","time":"2026-11-27T08:15:30.123Z","datacontenttype":"application/json","publisher":"demo",
        "data":{"orderId":100017,"total":1249.5,"currency":"EUR","express":true,"ip":"10.20.30.40",
        "customer":{"id":"c-88123","tier":"gold","country":"DE","since":"2019-04-01"},
        "items":[{"sku":"SKU-1","name":"Espresso machine","qty":1,"price":899.0},{"sku":"SKU-2","name":"Grinder","qty":1,"price":249.5},{"sku":"SKU-3","name":"Beans, 1 kg","qty":4,"price":25.25}],
        "shipping":{"method":"express","address":{"street":"Hauptstrasse 12","city":"Berlin","postcode":"10115","country":"DE"}},
        "notes":"Leave the parcel with the neighbour if nobody answers. Call ahead: the bell is broken.",
        "tags":["vip","repeat","newsletter"],"channel":"web","campaign":"autumn-2026","version":"2.4.1"}}
        """;
}
