using Record = PubSub.Aws.DynamoDBStreams.Model.Record;
using PubSub.Events;
using PubSub.StreamPublisher.Core;

namespace PubSub.UnitTests.Fakes;

internal sealed class FakeDeadLetterQueue : IPublishDeadLetterQueue
{
    public List<PublishFailure> Failures { get; } = [];

    public List<(Record Record, string Reason)> Undecodable { get; } = [];

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

    public Task<bool> TrySendUndecodableAsync(Record record, string reason, CancellationToken cancellationToken)
    {
        if (Accepts)
        {
            Undecodable.Add((record, reason));
        }

        return Task.FromResult(Accepts);
    }
}
