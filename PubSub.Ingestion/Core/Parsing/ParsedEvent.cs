using PubSub.Events;

namespace PubSub.Ingestion.Core.Parsing;

/// <summary>One event read from a request, or why it could not be read.</summary>
public readonly record struct ParsedEvent(EventEnvelope? Envelope, Problem? Problem)
{
    public static ParsedEvent Of(EventEnvelope envelope) => new(envelope, null);

    public static ParsedEvent Refused(Problem problem) => new(null, problem);
}

/// <summary>What a request carried: one event, a batch, or nothing usable.</summary>
public sealed record ParsedRequest(IReadOnlyList<ParsedEvent> Events, bool IsBatch, Problem? Problem)
{
    public static ParsedRequest One(ParsedEvent parsed) => new([parsed], false, null);

    public static ParsedRequest Refused(Problem problem) => new([], false, problem);
}
