namespace PubSub.Aws.DynamoDBStreams;

/// <summary>What every DynamoDB Streams answer carries. Ours: the official responses derive from
/// AWSSDK.Core's AmazonWebServiceResponse instead.</summary>
public abstract record StreamsResponse
{
    public string? RequestId { get; set; }
}
