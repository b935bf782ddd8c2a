using System.Globalization;

namespace PubSub.Ingestion.Core.Answers;

/// <summary>The HTTP answer to a request, decided once for both adapters, which only copy it: 202 with the
/// id (and <c>Location</c>), 200 for a retry, 202 or 207 Multi-Status for a batch, and RFC 9457 problem
/// details for every refusal (with <c>Retry-After</c> when a retry may succeed).</summary>
/// <param name="Body">UTF-8 JSON.</param>
public sealed record IngestionAnswer(int Status, string ContentType, ReadOnlyMemory<byte> Body)
{
    public const string Json = "application/json";
    public const string ProblemJson = "application/problem+json";

    /// <summary>Headers besides <c>Content-Type</c>.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    public static IngestionAnswer From(IngestionResponse response) => response switch
    {
        IngestionResponse.Refused refused => Problem(refused.Problem),
        IngestionResponse.One { Result: IngestionResult.Accepted accepted } => new(accepted.Status, Json, AnswerJson.Id(accepted.Id))
        {
            Headers = [new("Location", $"/events/{Uri.EscapeDataString(accepted.Id)}")],
        },
        IngestionResponse.One { Result: IngestionResult.Duplicate duplicate } => new(duplicate.Status, Json, AnswerJson.Id(duplicate.Id)),
        IngestionResponse.One { Result: IngestionResult.Rejected rejected } => Problem(rejected.Problem),
        IngestionResponse.Batch batch => Batch(batch),
        _ => throw new InvalidOperationException($"Unexpected ingestion response {response}"),
    };

    public static IngestionAnswer Problem(Problem problem) =>
        new(problem.Status, ProblemJson, AnswerJson.Problem(problem)) { Headers = RetryAfter(problem.RetryAfterSeconds) };

    /// <summary>202 when every event was accepted (or was a retry), else 207 Multi-Status; the body lists
    /// each event's outcome in the order sent.</summary>
    private static IngestionAnswer Batch(IngestionResponse.Batch batch)
    {
        var body = AnswerJson.Batch(batch.Results, out var rejected);
        return rejected == 0 ? new(202, Json, body) : new(207, Json, body) { Headers = RetryAfter(batch.RetryAfterSeconds) };
    }

    private static KeyValuePair<string, string>[] RetryAfter(int? seconds) =>
        seconds is { } s ? [new("Retry-After", s.ToString(CultureInfo.InvariantCulture))] : [];
}
