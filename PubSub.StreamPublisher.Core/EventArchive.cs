using System.Globalization;
using System.Text;
using Amazon.S3;
using Amazon.S3.Model;
using PubSub.Aws;
using PubSub.Events;

namespace PubSub.StreamPublisher.Core;

/// <summary>The archive bucket that Amazon Macie scans: every accepted event, as JSON Lines, one object
/// per publisher per stream batch, keyed <c>{publisher}/{yyyy}/{MM}/{dd}/{first id}_{last id}.jsonl</c>.
/// Batching keeps the cost of a million events a day to a few thousand PUTs, and writing from the
/// stream adds nothing to a publisher's request.</summary>
public interface IEventArchive
{
    /// <summary>Throws when the bucket cannot be written (after the client's retries).</summary>
    Task ArchiveAsync(string publisher, IReadOnlyList<EventEnvelope> events, CancellationToken cancellationToken);

    string Bucket { get; }
}

/// <summary>The upload ends one SQS attempt before the <see cref="CallDeadline"/>, which leaves the events
/// of an upload that hangs time to reach the publish DLQ.</summary>
public sealed class S3EventArchive(IAmazonS3 s3, string bucket, TimeProvider? timeProvider = null) : IEventArchive
{
    public string Bucket => bucket;

    public async Task ArchiveAsync(string publisher, IReadOnlyList<EventEnvelope> events, CancellationToken cancellationToken)
    {
        var body = new StringBuilder();
        foreach (var e in events)
        {
            body.Append(CloudEventJson.ToJson(e)).Append('\n');
        }

        using var budget = TimeBudget.Reserving(AwsTimeouts.Attempt, timeProvider ?? TimeProvider.System, cancellationToken);
        await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = bucket,
            Key = KeyOf(publisher, events),
            ContentBody = body.ToString(),
            ContentType = "application/x-ndjson",
        }, budget.Token);
    }

    public static string KeyOf(string publisher, IReadOnlyList<EventEnvelope> events)
    {
        var day = events[0].ReceivedAt.UtcDateTime.ToString("yyyy/MM/dd", CultureInfo.InvariantCulture);
        return $"{publisher}/{day}/{Safe(events[0].Id)}_{Safe(events[^1].Id)}.jsonl";
    }

    /// <summary>Event ids are the publisher's; keep keys to characters S3 and Macie handle plainly.</summary>
    private static string Safe(string id) =>
        string.Concat(id.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '_'));
}
