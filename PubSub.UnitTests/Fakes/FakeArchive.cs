using PubSub.Events;
using PubSub.StreamPublisher.Core;

namespace PubSub.UnitTests.Fakes;

internal sealed class FakeArchive : IEventArchive
{
    public List<(string Publisher, List<string> Ids)> Objects { get; } = [];

    /// <summary>When set, every write fails with it, as if S3 were down.</summary>
    public Exception? Failure { get; set; }

    public string Bucket => "archive";

    public Task ArchiveAsync(string publisher, IReadOnlyList<EventEnvelope> events, CancellationToken cancellationToken)
    {
        if (Failure is not null)
        {
            throw Failure;
        }

        Objects.Add((publisher, [.. events.Select(e => e.Id)]));
        return Task.CompletedTask;
    }
}
