using Amazon.DynamoDBStreams.Model;

namespace PubSub.Aws.DynamoDBStreams;

// Ours, not the streams package's (the official shape is Amazon.Lambda.DynamoDBEvents' DynamoDBEvent),
// so it stays in a PubSub.Aws namespace.
/// <summary>The event Lambda's DynamoDB Streams event source mapping invokes a function with.</summary>
public sealed record DynamoDbStreamEvent
{
    public List<Record> Records { get; init; } = [];
}
