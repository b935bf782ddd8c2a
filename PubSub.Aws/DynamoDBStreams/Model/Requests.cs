namespace Amazon.DynamoDBStreams.Model;

// Property order is the wire order the official SDKs use; nulls are not sent.

public sealed record ListStreamsRequest
{
    public string? TableName { get; init; }
    public int? Limit { get; init; }
    public string? ExclusiveStartStreamArn { get; init; }
}

public sealed record DescribeStreamRequest
{
    public required string StreamArn { get; init; }
    public int? Limit { get; init; }
    public string? ExclusiveStartShardId { get; init; }
}

public sealed record GetShardIteratorRequest
{
    public required string StreamArn { get; init; }
    public required string ShardId { get; init; }
    public required ShardIteratorType ShardIteratorType { get; init; }
    public string? SequenceNumber { get; init; }
}

public sealed record GetRecordsRequest
{
    public required string ShardIterator { get; init; }
    public int? Limit { get; init; }
}
