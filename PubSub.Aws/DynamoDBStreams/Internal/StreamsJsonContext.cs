using System.Text.Json.Serialization;
using Amazon.DynamoDBStreams.Model;

namespace PubSub.Aws.DynamoDBStreams.Internal;

/// <summary>Source-generated (reflection-free, AOT-safe) JSON for the DynamoDB Streams wire shapes.</summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    Converters = [typeof(AttributeMapJsonConverter), typeof(EpochSecondsJsonConverter), typeof(OperationTypeJsonConverter),
        typeof(ShardIteratorTypeJsonConverter)])]
[JsonSerializable(typeof(ListStreamsRequest))]
[JsonSerializable(typeof(DescribeStreamRequest))]
[JsonSerializable(typeof(GetShardIteratorRequest))]
[JsonSerializable(typeof(GetRecordsRequest))]
[JsonSerializable(typeof(ListStreamsResponse))]
[JsonSerializable(typeof(DescribeStreamResponse))]
[JsonSerializable(typeof(GetShardIteratorResponse))]
[JsonSerializable(typeof(GetRecordsResponse))]
[JsonSerializable(typeof(Record))]
[JsonSerializable(typeof(DynamoDbStreamEvent))]
internal sealed partial class StreamsJsonContext : JsonSerializerContext;
