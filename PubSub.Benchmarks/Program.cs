using BenchmarkDotNet.Running;
using PubSub.Benchmarks.Load;

// dotnet run -c Release --project PubSub.Benchmarks                 BenchmarkDotNet suites (pick one, or --filter '*')
// dotnet run -c Release --project PubSub.Benchmarks -- ingestion-load  ingestion host vs DynamoDB Local's own PutItem rate
if (args.Length > 0 && args[0] == "ingestion-load")
{
    return await IngestionLoad.RunAsync(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(IngestionLoad).Assembly).Run(args);
return 0;
