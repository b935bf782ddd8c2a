namespace PubSub.Aws;

/// <summary>When the work in hand (a Lambda invocation, a local request or stream batch) must be answered.
/// Ambient, like <see cref="System.Diagnostics.Activity.Current"/>, because it has to reach the AWS send
/// helper through cores whose methods take only a token: the adapter that knows the deadline sets it, and
/// every attempt is sized by the time left.</summary>
public static class CallDeadline
{
    private static readonly AsyncLocal<DateTimeOffset?> Ambient = new();

    /// <summary>The deadline of the work in hand; null when nobody set one.</summary>
    public static DateTimeOffset? Current => Ambient.Value;

    /// <summary>Sets the deadline (never later than one already set) until the scope is disposed.</summary>
    public static Scope Until(DateTimeOffset deadline)
    {
        var previous = Ambient.Value;
        Ambient.Value = previous is { } outer && outer < deadline ? outer : deadline;
        return new Scope(previous);
    }

    /// <summary>The time left before the deadline (never negative); null when there is none.</summary>
    public static TimeSpan? Remaining(TimeProvider time) =>
        Ambient.Value is { } deadline ? Max(deadline - time.GetUtcNow(), TimeSpan.Zero) : null;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;

    /// <summary>Restores the deadline that was in force before.</summary>
    public readonly struct Scope(DateTimeOffset? previous) : IDisposable
    {
        public void Dispose() => Ambient.Value = previous;
    }
}
