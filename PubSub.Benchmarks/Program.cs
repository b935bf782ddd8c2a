using BenchmarkDotNet.Running;
using PubSub.Benchmarks.Citylots;
using PubSub.Benchmarks.Load;

// dotnet run -c Release --project PubSub.Benchmarks                 BenchmarkDotNet suites (pick one, or --filter '*')
// dotnet run -c Release --project PubSub.Benchmarks -- ingestion-load  ingestion host vs DynamoDB Local's own PutItem rate
// dotnet run -c Release --project PubSub.Benchmarks -- system-load     the whole local system: ceilings, rates, lag, latency, CPU, memory
// dotnet run -c Release --project PubSub.Benchmarks -- webhooks        webhook delivery: receiver ceiling, worker deliveries/s, latency, CPU
// dotnet run -c Release --project PubSub.Benchmarks -- lambda-runtime  the AOT bootstrap: size, cold init, memory after 1,000 invocations
// dotnet run -c Release --project PubSub.Benchmarks -- citylots        event-ruler's citylots benchmark: events/s and match counts per kind
// dotnet run -c Release --project PubSub.Benchmarks -- route-definition FILE N  writes a definition of N tenants' routes (RouteMix)
if (args.Length > 0 && args[0] == "citylots")
{
    return await CitylotsBenchmark.RunAsync(args[1..], CancellationToken.None);
}

if (args.Length == 3 && args[0] == "route-definition")
{
    await File.WriteAllTextAsync(args[1], PubSub.Benchmarks.Core.RouteMix.DefinitionFile(int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture)));
    return 0;
}

if (args.Length > 0 && args[0] == "lambda-runtime")
{
    return await LambdaRuntimeLoad.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "system-load")
{
    return await SystemLoad.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "webhooks")
{
    return await WebhookLoad.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "ingestion-load")
{
    return await IngestionLoad.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(IngestionLoad).Assembly).Run(args);
return 0;
