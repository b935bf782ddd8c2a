using System.Text;
using BenchmarkDotNet.Attributes;
using PubSub.Definition;
using PubSub.Routing;

namespace PubSub.Benchmarks.Core;

/// <summary>Many tenants' routes (<see cref="RouteMix"/>) through the production path: the definition file read
/// and validated, the routes compiled into an <see cref="EventRouter"/> (as the stream publisher does at start),
/// and a 1 KiB CloudEvent routed that matches a few routes, none, or about one in fifty. The setup prints the
/// heap each route keeps: the live heap after a full, compacting collection, with the router built and one
/// event routed, less the same without the router, divided by the routes (and the same for the loaded
/// definition, which the process holds as well).</summary>
[MemoryDiagnoser]
[MedianColumn]
public class RouteScaleBenchmarks
{
    private string _definitionFile = "";
    private SystemDefinition _definition = null!;
    private EventRouter _router = null!;
    private byte[] _fewEvent = [];
    private byte[] _noneEvent = [];
    private byte[] _manyEvent = [];

    [Params(500, 5_000)]
    public int Routes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _definitionFile = RouteMix.DefinitionFile(Routes);
        var empty = LiveHeap();
        _definition = SystemDefinitionLoader.Parse(_definitionFile);
        var definitionPerRoute = (double)(LiveHeap() - empty) / Routes;
        _fewEvent = Encoding.UTF8.GetBytes(RouteMix.SampleEvent());
        _noneEvent = Encoding.UTF8.GetBytes(RouteMix.UnmatchedEvent());
        _manyEvent = Encoding.UTF8.GetBytes(RouteMix.WidelyMatchedEvent());

        var before = LiveHeap();
        _router = new EventRouter(_definition);
        _router.Route(_fewEvent); // the per-thread match state grows to the routes' size once
        var perRoute = (double)(LiveHeap() - before) / Routes;

        var few = _router.Route(_fewEvent).MatchedRoutes.Count;
        var none = _router.Route(_noneEvent).MatchedRoutes.Count;
        var many = _router.Route(_manyEvent).MatchedRoutes.Count;
        if (few is 0 or > 30 || none != 0 || many < Routes / 100)
        {
            throw new InvalidOperationException($"The events should match a few, no and many routes, not {few}, {none} and {many}.");
        }

        Console.WriteLine($"// {Routes} routes: {_definitionFile.Length / 1024} KiB definition; the events match {few}, {none} and {many} routes; "
                          + $"the router retains {perRoute:F0} bytes a route, the loaded definition {definitionPerRoute:F0}");
    }

    [Benchmark(Description = "Read and validate the definition file")]
    public SystemDefinition LoadDefinition() => SystemDefinitionLoader.Parse(_definitionFile);

    [Benchmark(Description = "Compile the routes (new EventRouter)")]
    public EventRouter Compile() => new(_definition);

    [Benchmark(Description = "Route a 1 KiB event matching a few routes")]
    public RoutingDecision RouteFew() => _router.Route(_fewEvent);

    [Benchmark(Description = "Route a 1 KiB event matching none")]
    public RoutingDecision RouteNone() => _router.Route(_noneEvent);

    [Benchmark(Description = "Route a 1 KiB event matching many")]
    public RoutingDecision RouteMany() => _router.Route(_manyEvent);

    private static long LiveHeap()
    {
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        GC.WaitForPendingFinalizers();
        GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
