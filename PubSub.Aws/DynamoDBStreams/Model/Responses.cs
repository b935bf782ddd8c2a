using PubSub.Aws.DynamoDBStreams;

namespace Amazon.DynamoDBStreams.Model;

public sealed record ListStreamsResponse : StreamsResponse
{
    public List<StreamSummary> Streams { get; init; } = [];
    public string? LastEvaluatedStreamArn { get; init; }
}

public sealed record StreamSummary(string StreamArn, string? TableName, string? StreamLabel);

public sealed record DescribeStreamResponse : StreamsResponse
{
    public required StreamDescription StreamDescription { get; init; }
}

public sealed record StreamDescription
{
    public required string StreamArn { get; init; }
    public string? StreamLabel { get; init; }
    public string? StreamStatus { get; init; }
    public string? StreamViewType { get; init; }
    public DateTimeOffset? CreationRequestDateTime { get; init; }
    public string? TableName { get; init; }
    public List<KeySchemaElement> KeySchema { get; init; } = [];
    public List<Shard> Shards { get; init; } = [];
    public string? LastEvaluatedShardId { get; init; }
}

public sealed record KeySchemaElement(string AttributeName, string KeyType);

public sealed record Shard
{
    public required string ShardId { get; init; }
    public string? ParentShardId { get; init; }
    public SequenceNumberRange? SequenceNumberRange { get; init; }

    /// <summary>A closed shard has an ending sequence number; it receives nothing more.</summary>
    public bool IsClosed => SequenceNumberRange?.EndingSequenceNumber is not null;
}

public sealed record SequenceNumberRange(string? StartingSequenceNumber, string? EndingSequenceNumber);

public sealed record GetShardIteratorResponse : StreamsResponse
{
    public string? ShardIterator { get; init; }
}

public sealed record GetRecordsResponse : StreamsResponse
{
    public List<Record> Records { get; init; } = [];

    /// <summary>Null once a closed shard has been read to its end.</summary>
    public string? NextShardIterator { get; init; }
}
