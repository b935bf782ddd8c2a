namespace PubSub.Ingestion.Core;

/// <summary>The answer for one event: stored now (202), already stored earlier (200), or refused.</summary>
public abstract record IngestionResult
{
    private IngestionResult()
    {
    }

    /// <summary>The HTTP status of this outcome, the same for every adapter (and, in a batch, each event's own).</summary>
    public abstract int Status { get; }

    /// <param name="DeadLettered">True when the table could not be written and the event waits in the
    /// ingestion DLQ to be replayed; it is just as safe, so the publisher sees the same 202.</param>
    public sealed record Accepted(string Id, bool DeadLettered = false) : IngestionResult
    {
        public override int Status => 202;
    }

    /// <summary>The same event was stored before: a retry, answered with the original id.</summary>
    public sealed record Duplicate(string Id) : IngestionResult
    {
        public override int Status => 200;
    }

    public sealed record Rejected(Problem Problem, string? Id = null) : IngestionResult
    {
        public override int Status => Problem.Status;
    }
}

/// <summary>The answer for a whole request.</summary>
public abstract record IngestionResponse
{
    private IngestionResponse()
    {
    }

    public sealed record One(IngestionResult Result) : IngestionResponse;

    /// <summary>A batch: one result per event, in the order they were sent.</summary>
    public sealed record Batch(IReadOnlyList<IngestionResult> Results) : IngestionResponse
    {
        /// <summary>The longest wait any rejected event asks for (sent as <c>Retry-After</c>), if any.</summary>
        public int? RetryAfterSeconds => Results.OfType<IngestionResult.Rejected>().Max(r => r.Problem.RetryAfterSeconds);
    }

    /// <summary>The request as a whole could not be read (media type, size, not JSON, not a batch).</summary>
    public sealed record Refused(Problem Problem) : IngestionResponse;
}
