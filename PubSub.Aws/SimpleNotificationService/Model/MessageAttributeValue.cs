namespace Amazon.SimpleNotificationService.Model;

/// <summary>A message attribute: <c>String</c>, <c>String.Array</c>, <c>Number</c> or <c>Binary</c> (whose value is a
/// stream, as in the official type).</summary>
public sealed record MessageAttributeValue
{
    public required string DataType { get; init; }
    public string? StringValue { get; init; }
    public MemoryStream? BinaryValue { get; init; }
}
