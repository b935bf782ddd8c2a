namespace PubSub.Webhooks.Delivery;

/// <summary>What the worker does with the message after an attempt.</summary>
public enum NextStepKind
{
    /// <summary>Delete the message: delivered.</summary>
    Delete,

    /// <summary>Hide the message for <see cref="NextStep.Delay"/> (ChangeMessageVisibility), then attempt again.</summary>
    Retry,

    /// <summary>The last attempt failed: move the message to the subscription's dead-letter queue.</summary>
    DeadLetter,

    /// <summary>410 Gone: disable the endpoint, alert, and dead-letter the message (replayable once re-enabled).</summary>
    DisableEndpoint,
}

/// <summary>The worker's next step for one message and, for a retry, how long to wait.</summary>
public sealed record NextStep(NextStepKind Kind, TimeSpan Delay)
{
    public static NextStep Delete { get; } = new(NextStepKind.Delete, TimeSpan.Zero);

    public static NextStep DeadLetter { get; } = new(NextStepKind.DeadLetter, TimeSpan.Zero);

    public static NextStep DisableEndpoint { get; } = new(NextStepKind.DisableEndpoint, TimeSpan.Zero);

    public static NextStep RetryIn(TimeSpan delay) => new(NextStepKind.Retry, delay);
}
