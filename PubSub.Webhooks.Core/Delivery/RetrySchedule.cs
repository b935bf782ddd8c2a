namespace PubSub.Webhooks.Delivery;

/// <summary>When a webhook delivery is attempted again: one delay per attempt (the first is the wait before the first
/// attempt, usually none), each stretched by up to <see cref="Jitter"/> and never shortened. Jitter only ever adds
/// time, so that a delay is a promise to the receiver (never sooner than the schedule or its own Retry-After), and
/// the events that failed together during one outage come back spread over a window instead of all at once.
/// Every delay it can produce fits one SQS ChangeMessageVisibility (at most 12 h, counted from the receipt).</summary>
/// <param name="Delays">The wait before each attempt; the count is the number of attempts.</param>
/// <param name="Jitter">The largest stretch, as a fraction of the delay (0.1: up to 10 % later).</param>
/// <param name="RetryAfterCap">The longest wait a receiver's <c>Retry-After</c> can ask for.</param>
public sealed record RetrySchedule(IReadOnlyList<TimeSpan> Delays, double Jitter, TimeSpan RetryAfterCap)
{
    /// <summary>SQS lets a received message stay hidden for at most 12 h from its receipt; an hour of that is left
    /// for the receipt itself, the attempt and the call that hides the message again.</summary>
    public static readonly TimeSpan LongestDelay = TimeSpan.FromHours(11);

    /// <summary>SQS keeps a message for at most 14 days from when it was sent; two days of that are left for the
    /// time an open circuit or the rate limit holds a message back without an attempt.</summary>
    public static readonly TimeSpan LongestSchedule = TimeSpan.FromDays(12);

    /// <summary>A receiver that asks for no wait (or a date already past) still gets this one: no hot loop.</summary>
    public static readonly TimeSpan ShortestRetryAfter = TimeSpan.FromSeconds(1);

    /// <summary>Immediately, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h, 10 h, 10 h: about 47 h over ten attempts
    /// (up to 52 h with the jitter), well inside SQS's 14 days; a <c>Retry-After</c> is honoured up to the
    /// longest step, 10 h.</summary>
    public static RetrySchedule Default { get; } = new(
        [
            TimeSpan.Zero, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(30), TimeSpan.FromHours(2),
            TimeSpan.FromHours(5), TimeSpan.FromHours(10), TimeSpan.FromHours(10), TimeSpan.FromHours(10), TimeSpan.FromHours(10),
        ],
        Jitter: 0.1,
        RetryAfterCap: TimeSpan.FromHours(10));

    public IReadOnlyList<TimeSpan> Delays { get; } = Validated(Delays, Jitter, RetryAfterCap);

    /// <summary>How many attempts an event gets at most.</summary>
    public int MaxAttempts => Delays.Count;

    /// <summary>The sum of the delays as written, without jitter.</summary>
    public TimeSpan Total => Delays.Aggregate(TimeSpan.Zero, (sum, delay) => sum + delay);

    /// <summary>The wait after attempt <paramref name="attempt"/> (1-based) failed, or null when it was the last.</summary>
    /// <param name="random">A number in [0, 1) that picks the stretch.</param>
    public TimeSpan? DelayAfter(int attempt, double random) =>
        attempt >= 1 && attempt < Delays.Count ? Stretch(Delays[attempt], random) : null;

    /// <summary>The wait a receiver asked for with <c>Retry-After</c>, kept between <see cref="ShortestRetryAfter"/>
    /// and <see cref="RetryAfterCap"/>, then stretched like any other delay.</summary>
    public TimeSpan HonourRetryAfter(TimeSpan asked, double random) =>
        Stretch(TimeSpan.FromTicks(Math.Clamp(asked.Ticks, ShortestRetryAfter.Ticks, RetryAfterCap.Ticks)), random);

    private TimeSpan Stretch(TimeSpan delay, double random) =>
        delay + TimeSpan.FromTicks((long)(delay.Ticks * Jitter * Math.Clamp(random, 0, 1)));

    private static IReadOnlyList<TimeSpan> Validated(IReadOnlyList<TimeSpan> delays, double jitter, TimeSpan retryAfterCap)
    {
        if (delays.Count == 0 || delays.Any(d => d < TimeSpan.Zero))
        {
            throw new ArgumentException("A retry schedule needs at least one attempt and no negative delay.", nameof(delays));
        }

        if (jitter is < 0 or > 1)
        {
            throw new ArgumentOutOfRangeException(nameof(jitter), jitter, "The jitter is a fraction between 0 and 1.");
        }

        var longest = delays.Max() > retryAfterCap ? delays.Max() : retryAfterCap;
        if (longest * (1 + jitter) > LongestDelay)
        {
            throw new ArgumentException($"A delay (with its jitter) would exceed {LongestDelay}, more than one SQS visibility change can hide a message.", nameof(delays));
        }

        if (delays.Aggregate(TimeSpan.Zero, (sum, d) => sum + d) * (1 + jitter) > LongestSchedule)
        {
            throw new ArgumentException($"The schedule (with its jitter) would exceed {LongestSchedule}, too close to SQS's 14-day retention.", nameof(delays));
        }

        return [.. delays];
    }
}
