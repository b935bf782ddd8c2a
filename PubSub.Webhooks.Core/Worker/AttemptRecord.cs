using PubSub.Webhooks.Delivery;

namespace PubSub.Webhooks.Worker;

/// <summary>One row of the attempts table: the attempt, whose event it was, and when the next one is due.</summary>
/// <param name="Publisher">The event's publisher (event ids are unique per publisher).</param>
/// <param name="NextAttemptAt">When the next attempt is due (a retry), null when none follows.</param>
/// <param name="SeriesStart">The number of its series' first attempt: 1, or after an operator's redelivery of an event
/// whose attempts had ended (<see cref="WebhookSeries"/>) the attempt that started the new series. The retry schedule
/// counts from it; the numbering goes on, so the table keeps every series.</param>
public sealed record AttemptRecord(string Publisher, DeliveryAttempt Attempt, DateTimeOffset? NextAttemptAt, int SeriesStart = 1)
{
    /// <summary>The attempt's place in its series (1 for the series' first), which the retry schedule counts.</summary>
    public int NumberInSeries => Attempt.AttemptNumber - SeriesStart + 1;
}
