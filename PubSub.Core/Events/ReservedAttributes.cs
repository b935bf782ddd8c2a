using System.Collections.Frozen;

namespace PubSub.Events;

/// <summary>The attribute names the system itself sets on stored events and on the messages it
/// publishes (<see cref="CloudEventJson"/>, <see cref="MessageAttributes"/>, <see cref="EventItem"/>).
/// A publisher may not send them as extensions: subscribers trust them to come from the system.</summary>
public static class ReservedAttributes
{
    /// <summary>In the lower-case form CloudEvents extension names take.</summary>
    public static FrozenSet<string> Names { get; } = FrozenSet.Create(StringComparer.Ordinal,
        "publisher", // the authenticated publisher (CloudEvent, message attribute)
        "sensitive", "redacted", // sensitive data was flagged or redacted (CloudEvent, message attribute)
        MessageAttributes.Replayed, // a message sent again from a dead-letter queue
        "traceparent", "tracestate", // the trace context the system stores and passes on
        "originregion", "receivedat", "fingerprint", "expiresat"); // what the table stores with each event

    public static bool Contains(string name) => Names.Contains(name);
}
