using System.Text.Json.Serialization;
using Amazon.DynamoDBv2.Model;

namespace Amazon.DynamoDBStreams.Model;

/// <summary>One change in a stream. The same shape arrives from GetRecords and, inside
/// <c>Records</c>, in the DynamoDB Streams event Lambda receives.</summary>
public sealed record Record
{
    [JsonPropertyName("eventID")] public string? EventId { get; init; }

    [JsonPropertyName("eventName")] public OperationType? EventName { get; init; }

    [JsonPropertyName("eventVersion")] public string? EventVersion { get; init; }
    [JsonPropertyName("eventSource")] public string? EventSource { get; init; }
    [JsonPropertyName("awsRegion")] public string? AwsRegion { get; init; }
    [JsonPropertyName("eventSourceARN")] public string? EventSourceArn { get; init; }
    [JsonPropertyName("dynamodb")] public StreamRecord? Dynamodb { get; init; }

    /// <summary>Set on a deletion by DynamoDB's TTL process (<c>Service</c>, <c>dynamodb.amazonaws.com</c>).</summary>
    [JsonPropertyName("userIdentity")] public Identity? UserIdentity { get; init; }
}

public sealed record Identity
{
    [JsonPropertyName("type")] public string? Type { get; init; }
    [JsonPropertyName("principalId")] public string? PrincipalId { get; init; }
}

public sealed record StreamRecord
{
    public DateTimeOffset? ApproximateCreationDateTime { get; init; }
    public Dictionary<string, AttributeValue>? Keys { get; init; }
    public Dictionary<string, AttributeValue>? NewImage { get; init; }
    public Dictionary<string, AttributeValue>? OldImage { get; init; }
    public string? SequenceNumber { get; init; }
    public long? SizeBytes { get; init; }
    public string? StreamViewType { get; init; }
}
