using PubSub.Webhooks.Delivery;

namespace PubSub.Webhooks.Worker;

/// <summary>One row of the attempts table: the attempt, whose event it was, and when the next one is due.</summary>
/// <param name="Publisher">The event's publisher (event ids are unique per publisher).</param>
/// <param name="NextAttemptAt">When the next attempt is due (a retry), null when none follows.</param>
public sealed record AttemptRecord(string Publisher, DeliveryAttempt Attempt, DateTimeOffset? NextAttemptAt);
