namespace PubSub.Aws;

/// <summary>The share of the time left that one step may use while keeping <c>reserve</c> for what must
/// come after it (the dead-letter fallback, the answer): a token cancelled <c>reserve</c> before the
/// deadline, and that earlier deadline made current for the calls inside. Without a deadline it bounds
/// nothing and the token is the caller's.</summary>
public sealed class TimeBudget : IDisposable
{
    private readonly CancellationTokenSource? _timer;
    private readonly CancellationTokenSource? _linked;
    private readonly CallDeadline.Scope _scope;

    private TimeBudget(TimeSpan reserve, TimeProvider time, CancellationToken cancellationToken)
    {
        Token = cancellationToken;
        if (CallDeadline.Current is not { } deadline)
        {
            return;
        }

        var end = deadline - reserve;
        _scope = CallDeadline.Until(end);
        var left = end - time.GetUtcNow();
        _timer = new CancellationTokenSource(left > TimeSpan.Zero ? left : TimeSpan.Zero, time);
        _linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _timer.Token);
        Token = _linked.Token;
    }

    /// <summary>Cancelled at the step's end (or when the caller's token is).</summary>
    public CancellationToken Token { get; }

    /// <summary>Starts a step that must leave <paramref name="reserve"/> of the current deadline unused.
    /// Dispose it in the same flow (a <c>using</c>): it restores the deadline that was in force.</summary>
    public static TimeBudget Reserving(TimeSpan reserve, TimeProvider time, CancellationToken cancellationToken) =>
        new(reserve, time, cancellationToken);

    public void Dispose()
    {
        _scope.Dispose();
        _linked?.Dispose();
        _timer?.Dispose();
    }
}
