namespace PubSub.Routing;

/// <summary>Routing one event needed more work than its step budget allows (the router's is
/// <c>EventRouter.MaxStepsPerEvent</c>, <see cref="EventPatternSet.DefaultStepBudget"/>).
/// The event is at fault, not the routes: the stream publisher dead-letters it as <c>unroutable</c>.</summary>
public sealed class RoutingBudgetExceededException : Exception
{
    public RoutingBudgetExceededException()
    {
    }

    public RoutingBudgetExceededException(string message) : base(message)
    {
    }

    public RoutingBudgetExceededException(string message, Exception innerException) : base(message, innerException)
    {
    }

    /// <summary>The budget, in steps, that the event exceeded.</summary>
    public long Budget { get; init; }

    // The message names the router's constant, the setting operators know; it is this default.
    internal static RoutingBudgetExceededException For(long budget) => new(
        $"Routing the event took more than its budget of {budget:N0} steps (EventRouter.MaxStepsPerEvent is {EventPatternSet.DefaultStepBudget:N0}); the event is not routed.")
    {
        Budget = budget,
    };
}
