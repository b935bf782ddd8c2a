using System.Text.Json.Serialization;

namespace PubSub.StreamPublisher.Lambda;

/// <summary>The partial batch response (<c>ReportBatchItemFailures</c>): Lambda retries from the first
/// failed record and checkpoints everything before it.</summary>
public sealed record StreamBatchResponse(
    [property: JsonPropertyName("batchItemFailures")] IReadOnlyList<BatchItemFailure> BatchItemFailures);

public sealed record BatchItemFailure([property: JsonPropertyName("itemIdentifier")] string ItemIdentifier);

[JsonSerializable(typeof(StreamBatchResponse))]
internal sealed partial class StreamResponseJsonContext : JsonSerializerContext;
