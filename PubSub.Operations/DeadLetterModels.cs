using System.Text.Json.Serialization;

namespace PubSub.Operations;

/// <summary>One dead-letter queue of the system and how much it holds.</summary>
/// <param name="Role">What the queue receives: <c>ingestion</c> (events the table refused), <c>publish</c>
/// (events a topic or the archive refused) or <c>webhook-ID</c> (events webhook subscription ID did not deliver).</param>
/// <param name="Visible">Messages waiting (CloudWatch's ApproximateNumberOfMessagesVisible).</param>
/// <param name="InFlight">Messages received and not yet deleted (a replay or peek in progress).</param>
public sealed record DeadLetterQueueStatus(string Role, string Name, string Url, long Visible, long InFlight);

/// <summary>A dead-lettered message as an operator reads it: its queue's message id, what its body says of it
/// (never the payload) and how long ago it failed.</summary>
public sealed record DeadLetterEntry : DeadLetterSummary
{
    /// <param name="letter">The body read back; only what it says of itself is kept.</param>
    /// <param name="failedAt">When it failed: the body's time, else when the queue received it.</param>
    public DeadLetterEntry(string messageId, DeadLetterSummary letter, DateTimeOffset? failedAt, TimeSpan age)
        : base(letter)
    {
        MessageId = messageId;
        FailedAt = failedAt;
        Age = age;
    }

    [JsonPropertyOrder(-1)]
    public string MessageId { get; }

    public TimeSpan Age { get; }
}

/// <summary>What a replay did. Nothing is deleted from a queue before it was written back, so
/// <c>Read = Replayed + Duplicates + Failed + Skipped</c>, and only replayed and duplicate messages left the queue.</summary>
/// <param name="Stopped">The replay stopped early because the destination was unavailable; what it did
/// not reach stays in the queue for the next run.</param>
public sealed record ReplayReport(int Read, int Replayed, int Duplicates, int Failed, int Skipped, bool DryRun,
    IReadOnlyList<string> Problems, bool Stopped = false);
