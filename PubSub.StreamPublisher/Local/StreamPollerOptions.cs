namespace PubSub.StreamPublisher.Local;

/// <param name="BatchSize">Records per GetRecords call (at most 1000).</param>
/// <param name="MaxIdleDelay">Longest pause between reads of a quiet stream.</param>
/// <param name="TricklePollInterval">Pause after a read that returned records but not a full batch: the
/// next read comes at once only when a backlog is waiting (as Lambda polls a shard a few times a second).
/// Without it, a trickle of events keeps the poller in a tight GetRecords loop that starves the table's
/// writers on DynamoDB Local.</param>
/// <param name="ShardRefreshInterval">How often new shards are looked for.</param>
/// <param name="MaxRetryDelay">Longest pause before a shard's failed records are tried again.</param>
/// <param name="StopDrainTimeout">How long a stop waits for the batch in hand to be published and checkpointed.</param>
public sealed record StreamPollerOptions(
    int BatchSize = 1000,
    TimeSpan? MaxIdleDelay = null,
    TimeSpan? TricklePollInterval = null,
    TimeSpan? ShardRefreshInterval = null,
    TimeSpan? MaxRetryDelay = null,
    TimeSpan? StopDrainTimeout = null)
{
    /// <summary>The setting <c>StreamPoller:BatchSize</c> (1 to 1000, as GetRecords takes; 1000 when unset).
    /// It is also the most a crash can publish twice: the position is saved after every batch.</summary>
    public static int BatchSizeFrom(string? setting) => setting switch
    {
        null or "" => 1000,
        _ when int.TryParse(setting, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var size)
               && size is >= 1 and <= 1000 => size,
        _ => throw new InvalidOperationException($"StreamPoller:BatchSize must be a whole number from 1 to 1000, not '{setting}'."),
    };

    public TimeSpan DrainTimeout => StopDrainTimeout ?? TimeSpan.FromSeconds(15);

    public TimeSpan IdleDelay => MaxIdleDelay ?? TimeSpan.FromMilliseconds(250);
    public TimeSpan TrickleDelay => TricklePollInterval ?? TimeSpan.FromMilliseconds(100);
    public TimeSpan RefreshInterval => ShardRefreshInterval ?? TimeSpan.FromSeconds(5);
    public TimeSpan RetryDelay => MaxRetryDelay ?? TimeSpan.FromSeconds(30);
}
