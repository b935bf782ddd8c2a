using System.Text.Json;
using System.Text.Json.Serialization;

namespace PubSub.WebhookDelivery.Lambda;

/// <summary>The SQS event an event source mapping invokes the function with: only the members this function reads.
/// Written here because the Amazon.Lambda.* event packages are not served; the shape is the documented one
/// (https://docs.aws.amazon.com/lambda/latest/dg/with-sqs.html).</summary>
public sealed record SqsEvent
{
    [JsonPropertyName("Records")]
    public List<SqsEventRecord> Records { get; init; } = [];

    /// <exception cref="JsonException">The body is not an SQS event.</exception>
    public static SqsEvent Deserialize(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize(json, SqsEventJsonContext.Default.SqsEvent) ?? throw new JsonException("The SQS event is null.");
}

public sealed record SqsEventRecord
{
    [JsonPropertyName("messageId")]
    public string? MessageId { get; init; }

    [JsonPropertyName("receiptHandle")]
    public string? ReceiptHandle { get; init; }

    [JsonPropertyName("body")]
    public string? Body { get; init; }

    /// <summary>SQS's system attributes, every value a string: <c>ApproximateReceiveCount</c>,
    /// <c>ApproximateFirstReceiveTimestamp</c> (epoch milliseconds), <c>SentTimestamp</c>, ...</summary>
    [JsonPropertyName("attributes")]
    public Dictionary<string, string?>? Attributes { get; init; }

    [JsonPropertyName("messageAttributes")]
    public Dictionary<string, SqsEventMessageAttribute?>? MessageAttributes { get; init; }

    /// <summary>The queue's ARN: which webhook subscription the message is for.</summary>
    [JsonPropertyName("eventSourceARN")]
    public string? EventSourceArn { get; init; }

    [JsonPropertyName("awsRegion")]
    public string? AwsRegion { get; init; }
}

/// <summary>A message attribute as the event carries it (binary values are base64; this function reads strings only).</summary>
public sealed record SqsEventMessageAttribute
{
    [JsonPropertyName("stringValue")]
    public string? StringValue { get; init; }

    [JsonPropertyName("dataType")]
    public string? DataType { get; init; }
}

[JsonSerializable(typeof(SqsEvent))]
internal sealed partial class SqsEventJsonContext : JsonSerializerContext;
