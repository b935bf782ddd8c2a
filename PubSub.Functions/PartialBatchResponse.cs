using System.Text.Json;
using System.Text.Json.Serialization;

namespace PubSub.Functions;

/// <summary>The partial batch response (<c>ReportBatchItemFailures</c>) of the functions an event source mapping
/// invokes: for a stream, Lambda retries from the first failed record and checkpoints everything before it; for an
/// SQS queue, it deletes every message not named and leaves the named ones on the queue.</summary>
public sealed record PartialBatchResponse(
    [property: JsonPropertyName("batchItemFailures")] IReadOnlyList<BatchItemFailure> BatchItemFailures)
{
    /// <summary>The response naming <paramref name="itemIdentifiers"/> (sequence numbers or message ids), as UTF-8 JSON.</summary>
    public static byte[] Serialize(IEnumerable<string> itemIdentifiers) =>
        JsonSerializer.SerializeToUtf8Bytes(new PartialBatchResponse([.. itemIdentifiers.Select(i => new BatchItemFailure(i))]),
            PartialBatchResponseJsonContext.Default.PartialBatchResponse);
}

public sealed record BatchItemFailure([property: JsonPropertyName("itemIdentifier")] string ItemIdentifier);

[JsonSerializable(typeof(PartialBatchResponse))]
internal sealed partial class PartialBatchResponseJsonContext : JsonSerializerContext;
