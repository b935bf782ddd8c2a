namespace PubSub.Cli.Cost;

/// <summary>One service's part of the monthly bill.</summary>
/// <param name="Usage">What is counted, in words (e.g. "259.2 M requests").</param>
internal sealed record CostLine(string Service, string Usage, double MonthlyUsd);

/// <summary>The monthly estimate for a workload on this stack, and the same workload on EventBridge.</summary>
internal sealed record CostEstimate(
    Workload Workload,
    double EventsPerMonth,
    IReadOnlyList<CostLine> Stack,
    IReadOnlyList<CostLine> EventBridge,
    IReadOnlyList<string> Assumptions,
    string Region,
    DateOnly PricesCheckedOn,
    IReadOnlyList<NamedPrice> Prices)
{
    public double StackTotal => Stack.Sum(l => l.MonthlyUsd);

    public double EventBridgeTotal => EventBridge.Sum(l => l.MonthlyUsd);

    public CostLine Line(string service) => Stack.Single(l => l.Service == service);
}
