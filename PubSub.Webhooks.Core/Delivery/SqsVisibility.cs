namespace PubSub.Webhooks.Delivery;

/// <summary>Turns a wait into the <c>VisibilityTimeout</c> of SQS's ChangeMessageVisibility: whole seconds, at most
/// 12 h counted from when the message was received (SQS rejects more).</summary>
public static class SqsVisibility
{
    public static readonly TimeSpan Longest = TimeSpan.FromHours(12);

    /// <summary>SQS counts the 12 h from its own receipt, a little before the worker's clock saw the message.</summary>
    private static readonly TimeSpan ClockMargin = TimeSpan.FromMinutes(1);

    /// <summary>The seconds to pass: the wait rounded up (a retry a moment late is fine, one early is not), but never
    /// past what is left of the 12 h. When the wait does not fit, the message comes back early and the worker hides
    /// it again for the rest (the attempts table holds when it is due).</summary>
    public static int TimeoutSeconds(TimeSpan wait, DateTimeOffset receivedAt, DateTimeOffset now)
    {
        var left = Math.Floor((Longest - ClockMargin - (now - receivedAt)).TotalSeconds);
        var seconds = Math.Min(Math.Ceiling(wait.TotalSeconds), left);
        return (int)Math.Max(0, seconds);
    }
}
