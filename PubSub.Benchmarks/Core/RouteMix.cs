using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PubSub.Definition;
using PubSub.Routing;

namespace PubSub.Benchmarks.Core;

/// <summary>Routes as the tenants of one shared system write them, for any number of routes (same seed,
/// same routes): each tenant (publisher <c>shop-T</c>, source <c>https://api.example.com/shop-T</c>) has
/// about 25 routes over the same event vocabulary, scoped to itself by publisher or source, with every
/// operator; one route in twenty is the platform's own (audit, analytics, fraud), across all tenants.
/// Values are shared where real ones are (event types, currencies, tiers, countries) and distinct where
/// real ones are (SKUs, order subjects, IP ranges, thresholds).</summary>
internal static class RouteMix
{
    public const int RoutesPerTenant = 25;

    private static readonly string[] Entities = ["order", "customer", "invoice", "shipment", "payment", "refund", "cart", "user"];
    private static readonly string[] Verbs = ["created", "updated", "deleted", "shipped", "paid", "failed"];
    private static readonly string[] Currencies = ["EUR", "USD", "GBP", "CHF", "SEK", "PLN"];
    private static readonly string[] Tiers = ["bronze", "silver", "gold", "platinum"];
    private static readonly string[] Countries = ["DE", "AT", "CH", "FR", "NL", "US", "CA", "GB", "SE", "PL"];

    /// <summary>How many tenants <paramref name="count"/> routes belong to (at least 20).</summary>
    public static int TenantsFor(int count) => Math.Max(20, count / RoutesPerTenant);

    public static string Tenant(int tenant) => "shop-" + tenant.ToString(CultureInfo.InvariantCulture);

    public static string SourceOf(int tenant) => "https://api.example.com/" + Tenant(tenant);

    /// <summary>The patterns, as JSON text.</summary>
    public static IEnumerable<string> Patterns(int count, int seed = 42)
    {
        var random = new Random(seed);
        var tenants = TenantsFor(count);
        string Pick(string[] values) => values[random.Next(values.Length)];
        string List(string[] values, int n) => string.Join(", ", values.OrderBy(_ => random.Next()).Take(n).Select(v => $"\"{v}\""));
        for (var i = 0; i < count; i++)
        {
            var n = i.ToString(CultureInfo.InvariantCulture);
            var entity = Pick(Entities);
            var type = $"{entity}.{Pick(Verbs)}";
            if (i % 20 == 19)
            {
                yield return (i / 20 % 5) switch // the platform's routes: no tenant
                {
                    0 => $$"""{ "type": [ { "suffix": ".failed" } ], "data": { "total": [ { "numeric": [ ">=", {{random.Next(100, 5000)}} ] } ] } }""",
                    1 => $$"""{ "type": [ { "prefix": "{{entity}}." } ], "data": { "customer": { "tier": [ "platinum" ] }, "currency": [ { "anything-but": [ "EUR" ] } ] } }""",
                    2 => $$"""{ "$or": [ { "data": { "ip": [ { "cidr": "192.0.{{random.Next(0, 255)}}.0/24" } ] } }, { "data": { "total": [ { "numeric": [ ">", {{random.Next(20_000, 90_000)}} ] } ] } } ] }""",
                    3 => $$"""{ "type": [ "{{type}}" ], "source": [ { "wildcard": "https://api.example.com/shop-*" } ], "data": { "channel": [ "web" ] } }""",
                    _ => $$"""{ "type": [ { "equals-ignore-case": "{{type.ToUpperInvariant()}}" } ], "data": { "shipping": { "address": { "country": [ {{List(Countries, 3)}} ] } } } }""",
                };
                continue;
            }

            var tenant = Tenant(random.Next(tenants));
            var source = SourceOf(random.Next(tenants));
            yield return (i % 19) switch
            {
                0 => $$"""{ "publisher": [ "{{tenant}}" ], "type": [ "{{type}}" ] }""",
                1 => $$"""{ "source": [ "{{source}}" ], "type": [ "{{type}}", "{{entity}}.{{Pick(Verbs)}}" ] }""",
                2 => $$"""{ "publisher": [ "{{tenant}}" ], "type": [ { "prefix": "{{entity}}." } ], "data": { "total": [ { "numeric": [ ">", {{random.Next(0, 500)}}, "<=", {{random.Next(500, 5000)}} ] } ] } }""",
                3 => $$"""{ "source": [ "{{source}}" ], "subject": [ { "prefix": "{{entity}}s/{{random.Next(1, 100)}}" } ] }""",
                4 => $$"""{ "publisher": [ "{{tenant}}" ], "type": [ { "suffix": ".{{Pick(Verbs)}}" } ] }""",
                5 => $$"""{ "publisher": [ "{{tenant}}" ], "type": [ { "equals-ignore-case": "{{type.ToUpperInvariant()}}" } ], "data": { "customer": { "tier": [ {{List(Tiers, 2)}} ] } } }""",
                6 => $$"""{ "source": [ { "wildcard": "{{source}}/*/{{entity}}s" } ], "data": { "express": [ true ] } }""",
                7 => $$"""{ "publisher": [ "{{tenant}}" ], "type": [ "{{type}}" ], "data": { "currency": [ { "anything-but": [ {{List(Currencies, 2)}} ] } ] } }""",
                8 => $$"""{ "publisher": [ "{{tenant}}" ], "type": [ { "anything-but": { "prefix": "test." } } ] }""",
                9 => $$"""{ "publisher": [ "{{tenant}}" ], "type": [ "{{type}}" ], "data": { "coupon": [ { "exists": false } ], "shipping": { "method": [ { "exists": true } ] } } }""",
                10 => $$"""{ "publisher": [ "{{tenant}}" ], "data": { "ip": [ { "cidr": "10.{{random.Next(0, 255)}}.0.0/16" } ] } }""",
                11 => $$"""{ "publisher": [ "{{tenant}}" ], "$or": [ { "type": [ "{{type}}" ] }, { "data": { "total": [ { "numeric": [ ">=", {{random.Next(1000, 10_000)}} ] } ] } } ] }""",
                12 => $$"""{ "publisher": [ "{{tenant}}" ], "data": { "shipping": { "address": { "country": [ {{List(Countries, 3)}} ] } }, "items": { "sku": [ "SKU-{{n}}", "SKU-{{random.Next(1, 50)}}" ] } } }""",
                13 => $$"""{ "source": [ "{{source}}" ], "data": { "orderId": [ { "numeric": [ "=", {{100_000 + random.Next(0, 1000)}} ] } ] } }""",
                14 => $$"""{ "publisher": [ "{{tenant}}" ], "type": [ "{{type}}" ], "data": { "customer": { "country": [ { "anything-but": { "equals-ignore-case": [ "us", "ca" ] } } ] } } }""",
                15 => $$"""{ "publisher": [ "{{tenant}}" ], "type": [ { "prefix": "{{entity}}." } ], "data": { "tags": [ "{{Pick(["vip", "repeat", "b2b", "gift"])}}" ] } }""",
                16 => $$"""{ "type": [ "{{type}}" ], "source": [ { "prefix": "{{source}}" } ], "data": { "version": [ { "anything-but": [ "1.0.0", "1.1.0" ] } ] } }""",
                17 => $$"""{ "publisher": [ "{{tenant}}" ], "subject": [ { "suffix": "/{{random.Next(0, 100):00}}" } ], "data": { "customer": { "since": [ { "exists": true } ] } } }""",
                _ => $$"""{ "publisher": [ "{{tenant}}" ], "type": [ { "wildcard": "{{entity}}.*" } ], "data": { "items": { "qty": [ { "numeric": [ ">=", {{random.Next(2, 10)}} ] } ] } } }""",
            };
        }
    }

    /// <summary>An event router over <paramref name="patterns"/>, built as the stream publisher builds it.</summary>
    public static EventRouter Router(params string[] patterns) => new(Definition(patterns));

    /// <summary>A definition holding <paramref name="patterns"/> as routes <c>r0</c>, <c>r1</c>, ..., each to topic
    /// <c>t</c>, its tenant's topic in real life (topics do not change the matching).</summary>
    public static SystemDefinition Definition(IEnumerable<string> patterns) => new()
    {
        Name = "bench",
        Events = new EventStoreDefinition("events", 7, "archive"),
        DeadLetterQueues = new DeadLetterQueuesDefinition("in", "out"),
        Topics = [new TopicDefinition("t")],
        Routes = [.. patterns.Select((p, i) => new RouteDefinition($"r{i}", JsonDocument.Parse(p).RootElement, ["t"]))],
    };

    /// <summary>A whole definition file of <paramref name="count"/> routes: a topic per tenant, each route to its
    /// tenant's topic (the platform's routes to their own), for timing the tools that read it.</summary>
    public static string DefinitionFile(int count)
    {
        var tenants = TenantsFor(count);
        var topics = new JsonArray([.. Enumerable.Range(0, tenants).Select(t => (JsonNode)new JsonObject { ["name"] = Tenant(t) })]);
        topics.Add(new JsonObject { ["name"] = "platform" });
        topics.Add(new JsonObject { ["name"] = "unrouted" });
        var routes = new JsonArray();
        foreach (var (pattern, i) in Patterns(count).Select((p, i) => (p, i)))
        {
            var node = JsonNode.Parse(pattern)!;
            var owner = node["publisher"]?[0]?.GetValue<string>() ?? (node["source"]?[0] is JsonValue v && v.TryGetValue<string>(out var s)
                ? s[(s.LastIndexOf('/') + 1)..]
                : "platform");
            routes.Add(new JsonObject
            {
                ["name"] = $"{owner}-r{i.ToString(CultureInfo.InvariantCulture)}",
                ["pattern"] = node,
                ["topics"] = new JsonArray(owner),
            });
        }

        return new JsonObject
        {
            ["name"] = "route-scale",
            ["events"] = new JsonObject { ["table"] = "route-scale-events", ["retentionDays"] = 30, ["archiveBucket"] = "route-scale-archive" },
            ["deadLetterQueues"] = new JsonObject { ["ingestion"] = "route-scale-ingestion-dlq", ["publish"] = "route-scale-publish-dlq" },
            ["topics"] = topics,
            ["routes"] = routes,
            ["unroutedTopic"] = "unrouted",
            ["publishers"] = new JsonArray([.. Enumerable.Range(0, tenants).Select(t => (JsonNode)new JsonObject { ["name"] = Tenant(t) })]),
        }.ToJsonString(new JsonSerializerOptions { WriteIndented = true });
    }

    /// <summary>An event of a tenant no route names, of a type no platform route takes: no route matches it.</summary>
    public static string UnmatchedEvent() =>
        SampleEvent("shop-unknown", "https://partner.example.net/feeds/inventory", "inventory.counted", "stock/4711");

    /// <summary>A failed, large, non-euro order of a platinum customer: every kind of platform route takes it, so
    /// at 5,000 routes about a hundred routes match.</summary>
    public static string WidelyMatchedEvent() => SampleEvent(type: "order.failed")
        .Replace("\"total\":1249.5", "\"total\":99999.5", StringComparison.Ordinal)
        .Replace("\"currency\":\"EUR\"", "\"currency\":\"USD\"", StringComparison.Ordinal)
        .Replace("\"tier\":\"gold\"", "\"tier\":\"platinum\"", StringComparison.Ordinal);

    /// <summary>A 1 KiB order event of tenant <c>shop-17</c>, as the stream publisher holds it (UTF-8 JSON).</summary>
    public static string SampleEvent(string publisher = "shop-17", string source = "https://api.example.com/shop-17",
        string type = "order.created", string subject = "orders/100017") => $$$"""
        {"specversion":"1.0","id":"3f8c2a8e-6d1b-4c35-9a57-0b6f1f0e9d21","source":"{{{source}}}","type":"{{{type}}}","subject":"{{{subject}}}","time":"2026-11-27T08:15:30.123Z","datacontenttype":"application/json","publisher":"{{{publisher}}}",
        "data":{"orderId":100017,"total":1249.5,"currency":"EUR","express":true,"ip":"10.20.30.40",
        "customer":{"id":"c-88123","tier":"gold","country":"DE","since":"2019-04-01"},
        "items":[{"sku":"SKU-1","name":"Espresso machine","qty":1,"price":899.0},{"sku":"SKU-2","name":"Grinder","qty":1,"price":249.5},{"sku":"SKU-3","name":"Beans, 1 kg","qty":4,"price":25.25}],
        "shipping":{"method":"express","address":{"street":"Hauptstrasse 12","city":"Berlin","postcode":"10115","country":"DE"}},
        "notes":"Leave the parcel with the neighbour if nobody answers. Call ahead: the bell is broken.",
        "tags":["vip","repeat","newsletter"],"channel":"web","campaign":"autumn-2026","version":"2.4.1"}}
        """;
}
