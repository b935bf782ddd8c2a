namespace PubSub.UnitTests.Fakes;

/// <summary>A clock whose timers fire at once, so that retry backoff costs no wall time; it
/// records every delay asked for.</summary>
internal sealed class InstantTimeProvider : TimeProvider
{
    public List<TimeSpan> Delays { get; } = [];

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        lock (Delays)
        {
            Delays.Add(dueTime);
        }

        var timer = new Timer(callback, state, TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        return new TimerWrapper(timer);
    }

    private sealed class TimerWrapper(Timer timer) : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => timer.Change(dueTime, period);

        public void Dispose() => timer.Dispose();

        public ValueTask DisposeAsync() => timer.DisposeAsync();
    }
}
