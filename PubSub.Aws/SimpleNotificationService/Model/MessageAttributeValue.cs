namespace Amazon.SimpleNotificationService.Model;

/// <summary>A message attribute: <c>String</c>, <c>String.Array</c>, <c>Number</c> or <c>Binary</c>.
/// Unlike the official type, the binary value is a byte array, not a stream.</summary>
public sealed record MessageAttributeValue
{
    public required string DataType { get; init; }
    public string? StringValue { get; init; }
    public byte[]? BinaryValue { get; init; }

    public static MessageAttributeValue FromString(string value) => new() { DataType = "String", StringValue = value };
}
