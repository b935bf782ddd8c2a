using Amazon.DynamoDBStreams;
using Amazon.DynamoDBStreams.Model;

namespace PubSub.StreamPublisher.Local;

/// <summary>How far the poller has read one shard, and where to resume it.</summary>
internal sealed class ShardCursor(Shard shard)
{
    public Shard Shard { get; } = shard;

    public string? Iterator { get; set; }

    /// <summary>The last record handled; reading resumes after it.</summary>
    public string? LastSequenceNumber { get; set; }

    /// <summary>A record that failed; reading resumes at it, no earlier than <see cref="RetryAt"/>.</summary>
    public string? RetrySequenceNumber { get; set; }

    public DateTimeOffset RetryAt { get; set; }

    public int ConsecutiveFailures { get; set; }

    /// <summary>A smaller batch while a batch that failed unexpectedly is being narrowed down to its record.</summary>
    public int? BatchLimit { get; set; }

    /// <summary>Unexpected failures of the one record a failing batch was narrowed down to.</summary>
    public int IsolatedFailures { get; set; }

    /// <summary>A closed shard read to its end.</summary>
    public bool Finished { get; set; }

    public GetShardIteratorRequest IteratorRequest(string streamArn) => new()
    {
        StreamArn = streamArn,
        ShardId = Shard.ShardId,
        ShardIteratorType = RetrySequenceNumber is not null ? ShardIteratorType.AT_SEQUENCE_NUMBER
            : LastSequenceNumber is not null ? ShardIteratorType.AFTER_SEQUENCE_NUMBER
            : ShardIteratorType.TRIM_HORIZON,
        SequenceNumber = RetrySequenceNumber ?? LastSequenceNumber,
    };
}
