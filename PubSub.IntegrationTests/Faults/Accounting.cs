namespace PubSub.IntegrationTests.Faults;

/// <summary>What a fault test prints: where every event went. <see cref="Lost"/> is the acknowledged
/// events that no subscriber received; a fault test fails unless it is 0.</summary>
internal sealed record Accounting(
    string Fault, int Sent, int Accepted, int Rejected, int Unanswered, int Stored, int DeadLettered, int Replayed,
    int Delivered, int Duplicates, int Lost)
{
    public override string ToString() =>
        $"accounting ({Fault}): sent {Sent}, accepted {Accepted}, rejected {Rejected}, unanswered {Unanswered}, stored {Stored}, " +
        $"dead-lettered {DeadLettered}, replayed {Replayed}, delivered {Delivered} ({Duplicates} duplicates), lost {Lost}";
}
