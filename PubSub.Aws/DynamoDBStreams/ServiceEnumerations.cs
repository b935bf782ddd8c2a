using Amazon.Runtime;

namespace Amazon.DynamoDBStreams;

// The official package declares these in this namespace too (its ServiceEnumerations.cs), with these names:
// ConstantClass values, compared with == and converted from their wire strings implicitly.

/// <summary>Values of <see cref="Model.Record.EventName"/>.</summary>
public class OperationType(string value) : ConstantClass(value)
{
    public static readonly OperationType INSERT = new("INSERT");
    public static readonly OperationType MODIFY = new("MODIFY");
    public static readonly OperationType REMOVE = new("REMOVE");

    public static OperationType FindValue(string value) => FindValue<OperationType>(value);

    public static implicit operator OperationType(string value) => FindValue(value);
}

/// <summary>Values of <see cref="Model.GetShardIteratorRequest.ShardIteratorType"/>.</summary>
#pragma warning disable CA1707 // the official package's names, so that code using them compiles against it unchanged
public class ShardIteratorType(string value) : ConstantClass(value)
{
    public static readonly ShardIteratorType TRIM_HORIZON = new("TRIM_HORIZON");
    public static readonly ShardIteratorType LATEST = new("LATEST");
    public static readonly ShardIteratorType AT_SEQUENCE_NUMBER = new("AT_SEQUENCE_NUMBER");
    public static readonly ShardIteratorType AFTER_SEQUENCE_NUMBER = new("AFTER_SEQUENCE_NUMBER");

    public static ShardIteratorType FindValue(string value) => FindValue<ShardIteratorType>(value);

    public static implicit operator ShardIteratorType(string value) => FindValue(value);
}
#pragma warning restore CA1707
