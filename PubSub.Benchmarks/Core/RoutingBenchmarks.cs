using System.Text;
using BenchmarkDotNet.Attributes;
using PubSub.Routing;

namespace PubSub.Benchmarks.Core;

/// <summary>Routing a 1 KiB structured CloudEvent (UTF-8 JSON, as the stream publisher holds it):
/// against one exact route, one prefix route, one route on a field of <c>data</c> (which must read the
/// whole event), and 500 routes of many tenants with mixed operators (<see cref="RouteMix"/>; more routes in
/// <see cref="RouteScaleBenchmarks"/>). One operation is one event routed.</summary>
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
        _event = Encoding.UTF8.GetBytes(RouteMix.SampleEvent());
        if (_event.Length is < 900 or > 1200)
        {
            throw new InvalidOperationException($"The sample event should be about 1 KiB, not {_event.Length} bytes.");
        }

        _exact = RouteMix.Router("""{ "type": [ "order.created" ] }""");
        _prefix = RouteMix.Router("""{ "type": [ { "prefix": "order." } ] }""");
        _dataField = RouteMix.Router("""{ "data": { "currency": [ "EUR" ] } }""");
        _mixed500 = RouteMix.Router([.. RouteMix.Patterns(500)]);
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
}
