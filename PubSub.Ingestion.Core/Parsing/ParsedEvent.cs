using PubSub.Events;
using PubSub.Sensitive;

namespace PubSub.Ingestion.Core.Parsing;

/// <summary>One event read from a request, or why it could not be read.</summary>
/// <param name="DataFindings">Sensitive data found in the event's JSON data while it was read
/// (only when scanning was asked for).</param>
public readonly record struct ParsedEvent(EventEnvelope? Envelope, Problem? Problem, IReadOnlyList<SensitiveFinding>? DataFindings = null)
{
    public static ParsedEvent Of(EventEnvelope envelope, IReadOnlyList<SensitiveFinding>? dataFindings) =>
        new(envelope, null, dataFindings); // the keyed fingerprint is the ingestor's, where the key is

    public static ParsedEvent Refused(Problem problem) => new(null, problem);
}

/// <summary>What a request carried: one event, a batch, or nothing usable.</summary>
public sealed record ParsedRequest(IReadOnlyList<ParsedEvent> Events, bool IsBatch, Problem? Problem)
{
    public static ParsedRequest One(ParsedEvent parsed) => new([parsed], false, null);

    public static ParsedRequest Refused(Problem problem) => new([], false, problem);
}
