namespace PubSub.Routing;

/// <summary>Routing one event needed more work than <see cref="EventRouter.MaxStepsPerEvent"/> allows.
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

    internal static RoutingBudgetExceededException For(long budget) => new(
        $"Routing the event took more than its budget of {budget:N0} steps (EventRouter.MaxStepsPerEvent is {EventRouter.MaxStepsPerEvent:N0}); the event is not routed.")
    {
        Budget = budget,
    };
}
