using Amazon.DynamoDBStreams.Model;

namespace Amazon.DynamoDBStreams;

/// <summary>DynamoDB Streams, shaped like the official <c>Amazon.DynamoDBStreams.IAmazonDynamoDBStreams</c>, and
/// declared under that name in that namespace (as is every type here and in <c>Model/</c>) so that swapping in
/// AWSSDK.DynamoDBStreams changes PubSub.Aws only.</summary>
public interface IAmazonDynamoDBStreams : IDisposable
{
    Task<ListStreamsResponse> ListStreamsAsync(ListStreamsRequest request, CancellationToken cancellationToken = default);
    Task<DescribeStreamResponse> DescribeStreamAsync(DescribeStreamRequest request, CancellationToken cancellationToken = default);
    Task<GetShardIteratorResponse> GetShardIteratorAsync(GetShardIteratorRequest request, CancellationToken cancellationToken = default);
    Task<GetRecordsResponse> GetRecordsAsync(GetRecordsRequest request, CancellationToken cancellationToken = default);
}
