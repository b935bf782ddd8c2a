using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Amazon.Runtime;
using PubSub.Aws.DynamoDBStreams.Internal;
using Amazon.DynamoDBStreams.Model;
using PubSub.Aws;
using PubSub.Aws.DynamoDBStreams;

namespace Amazon.DynamoDBStreams;

/// <summary>DynamoDB Streams over its JSON 1.0 protocol (<c>X-Amz-Target: DynamoDBStreams_20120810.&lt;Op&gt;</c>).</summary>
public sealed class AmazonDynamoDBStreamsClient : IAmazonDynamoDBStreams
{
    private const string ContentType = "application/x-amz-json-1.0";
    private const string TargetPrefix = "DynamoDBStreams_20120810.";

    private readonly AwsRequestSender _sender;
    private readonly HttpClient? _ownedHttp;

    /// <param name="config">Region, endpoint and retries; defaults resolve from the environment.</param>
    /// <param name="credentials">Defaults to the SDK's credential chain.</param>
    /// <param name="handler">The HTTP handler; tests pass a fake one.</param>
    /// <param name="timeProvider">Clock for retry delays.</param>
    public AmazonDynamoDBStreamsClient(AmazonDynamoDBStreamsConfig? config = null, AWSCredentials? credentials = null,
        HttpMessageHandler? handler = null, TimeProvider? timeProvider = null)
    {
        config ??= new AmazonDynamoDBStreamsConfig();
        var http = handler is null ? _ownedHttp = new HttpClient() : new HttpClient(handler, disposeHandler: false);
        _sender = new AwsRequestSender(AwsServiceEndpoint.Resolve(config, "streams.dynamodb", "dynamodb"), config,
            credentials, http, timeProvider ?? TimeProvider.System);
    }

    public Uri EndpointUrl => _sender.EndpointUrl;

    public Task<ListStreamsResponse> ListStreamsAsync(ListStreamsRequest request, CancellationToken cancellationToken = default) =>
        SendAsync("ListStreams", request, StreamsJsonContext.Default.ListStreamsRequest,
            StreamsJsonContext.Default.ListStreamsResponse, cancellationToken);

    public Task<DescribeStreamResponse> DescribeStreamAsync(DescribeStreamRequest request, CancellationToken cancellationToken = default) =>
        SendAsync("DescribeStream", request, StreamsJsonContext.Default.DescribeStreamRequest,
            StreamsJsonContext.Default.DescribeStreamResponse, cancellationToken);

    public Task<GetShardIteratorResponse> GetShardIteratorAsync(GetShardIteratorRequest request, CancellationToken cancellationToken = default) =>
        SendAsync("GetShardIterator", request, StreamsJsonContext.Default.GetShardIteratorRequest,
            StreamsJsonContext.Default.GetShardIteratorResponse, cancellationToken);

    public Task<GetRecordsResponse> GetRecordsAsync(GetRecordsRequest request, CancellationToken cancellationToken = default) =>
        SendAsync("GetRecords", request, StreamsJsonContext.Default.GetRecordsRequest,
            StreamsJsonContext.Default.GetRecordsResponse, cancellationToken);

    public void Dispose() => _ownedHttp?.Dispose();

    private async Task<TResponse> SendAsync<TRequest, TResponse>(string operation, TRequest request,
        JsonTypeInfo<TRequest> requestInfo, JsonTypeInfo<TResponse> responseInfo, CancellationToken cancellationToken)
        where TResponse : StreamsResponse
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(request, requestInfo);
        var wire = new AwsRequest(operation, ContentType, body, TargetPrefix + operation);
        var response = await _sender.SendAsync(wire, ParseError, cancellationToken).ConfigureAwait(false);
        TResponse? result;
        try
        {
            result = JsonSerializer.Deserialize(response.Body, responseInfo);
        }
        catch (JsonException e)
        {
            throw new AmazonDynamoDBStreamsException($"DynamoDB Streams {operation} answered with JSON that does not fit: {e.Message}", e);
        }

        if (result is null)
        {
            throw new AmazonDynamoDBStreamsException($"DynamoDB Streams {operation} answered with an empty body.");
        }

        result.RequestId = response.RequestId;
        return result;
    }

    internal static AmazonServiceException ParseError(AwsHttpResponse response)
    {
        var (code, message) = JsonProtocolError.Read(response, "DynamoDB Streams");
        var errorType = (int)response.StatusCode >= 500 ? ErrorType.Receiver : ErrorType.Sender;
        return new AmazonDynamoDBStreamsException(message, errorType, code, response.RequestId, response.StatusCode);
    }
}
