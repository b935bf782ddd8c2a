using PubSub.Events;

namespace PubSub.Ingestion.Core;

/// <summary>What the system adds to every event it accepts: when and where it was received.</summary>
public sealed record EnvelopeStamp(DateTimeOffset ReceivedAt, string OriginRegion)
{
    public EventEnvelope Apply(EventEnvelope envelope) =>
        envelope with { ReceivedAt = ReceivedAt, OriginRegion = OriginRegion };
}
