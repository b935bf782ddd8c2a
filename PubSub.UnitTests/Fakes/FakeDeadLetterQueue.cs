using Record = Amazon.DynamoDBStreams.Model.Record;
using PubSub.Events;
using PubSub.StreamPublisher.Core;

namespace PubSub.UnitTests.Fakes;

internal sealed class FakeDeadLetterQueue : IPublishDeadLetterQueue
{
    public List<PublishFailure> Failures { get; } = [];

    public List<RecordFailure> Records { get; } = [];

    /// <summary>The records dead-lettered as undecodable, with their error message.</summary>
    public IEnumerable<(Record Record, string Reason)> Undecodable =>
        Records.Where(r => r.Reason == PubSub.DeadLetters.DeadLetterReason.UndecodableRecord).Select(r => (r.Record, r.ErrorMessage));

    public List<(EventEnvelope Envelope, string ErrorCode)> ArchiveFailures { get; } = [];

    /// <summary>When false the DLQ refuses everything, as if SQS were down.</summary>
    public bool Accepts { get; set; } = true;

    public Task<bool> TrySendAsync(PublishFailure failure, CancellationToken cancellationToken)
    {
        if (Accepts)
        {
            Failures.Add(failure);
        }

        return Task.FromResult(Accepts);
    }

    public Task<bool> TrySendArchiveFailureAsync(EventEnvelope envelope, string bucket, string errorCode, string errorMessage,
        CancellationToken cancellationToken)
    {
        if (Accepts)
        {
            ArchiveFailures.Add((envelope, errorCode));
        }

        return Task.FromResult(Accepts);
    }

    public Task<bool> TrySendRecordAsync(RecordFailure failure, CancellationToken cancellationToken)
    {
        if (Accepts)
        {
            Records.Add(failure);
        }

        return Task.FromResult(Accepts);
    }
}
