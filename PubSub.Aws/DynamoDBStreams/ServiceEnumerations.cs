namespace Amazon.DynamoDBStreams;

// The official package declares these in this namespace too (its ServiceEnumerations.cs), as
// ConstantClass values; ours are the wire strings.

/// <summary>Values of <see cref="Model.Record.EventName"/>.</summary>
public static class OperationType
{
    public const string Insert = "INSERT";
    public const string Modify = "MODIFY";
    public const string Remove = "REMOVE";
}

/// <summary>Values of <see cref="Model.GetShardIteratorRequest.ShardIteratorType"/>.</summary>
public static class ShardIteratorType
{
    public const string TrimHorizon = "TRIM_HORIZON";
    public const string Latest = "LATEST";
    public const string AtSequenceNumber = "AT_SEQUENCE_NUMBER";
    public const string AfterSequenceNumber = "AFTER_SEQUENCE_NUMBER";
}
