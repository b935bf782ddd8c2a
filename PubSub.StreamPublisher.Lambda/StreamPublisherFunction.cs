using PubSub.Aws.DynamoDBStreams;
using PubSub.Functions;
using PubSub.LambdaRuntime;
using PubSub.StreamPublisher.Core;

namespace PubSub.StreamPublisher.Lambda;

/// <summary>The stream publisher's Lambda adapter: the event source mapping's batch of stream records
/// in, the partial batch response out. Records the core could neither publish nor dead-letter are
/// reported as failures, so that Lambda retries them (and only them and what follows).</summary>
public sealed class StreamPublisherFunction(StreamBatchProcessor processor) : ILambdaHandler
{
    public async Task<ReadOnlyMemory<byte>> HandleAsync(LambdaInvocation invocation, CancellationToken cancellationToken)
    {
        var streamEvent = StreamRecordJson.DeserializeEvent(invocation.Body.Span);
        var result = await processor.ProcessAsync(streamEvent.Records, cancellationToken);
        return PartialBatchResponse.Serialize(result.FailedSequenceNumbers);
    }
}
