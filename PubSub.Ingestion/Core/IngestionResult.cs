namespace PubSub.Ingestion.Core;

/// <summary>The answer to one request: stored now (202), already stored earlier (200), or refused.</summary>
public abstract record IngestionResult
{
    private IngestionResult()
    {
    }

    public sealed record Accepted(string Id) : IngestionResult;

    /// <summary>The same id was stored before: a retry, answered with the original id.</summary>
    public sealed record Duplicate(string Id) : IngestionResult;

    public sealed record Rejected(Problem Problem) : IngestionResult;
}
