using System.Text;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using PubSub.Aws;
using PubSub.Aws.DynamoDB;
using Amazon.SimpleNotificationService;
using PubSub.Aws.SimpleNotificationService;
using PubSub.DeadLetters;
using PubSub.Events;

namespace PubSub.Operations;

public enum ReplayResult
{
    Replayed,
    Duplicate,
    Failed,
    Skipped,
}

/// <param name="DestinationUnavailable">The failure was the destination's (unreachable, timing out,
/// throttling or failing after retries), not the message's: the messages after it would fail alike.</param>
public sealed record ReplayOutcome(ReplayResult Result, string? Problem = null, bool DestinationUnavailable = false);

/// <summary>Writes one dead-lettered message back where it failed to go: an ingestion message to the
/// Events table (conditionally: an event already there is a duplicate), a publish message to the topic
/// it recorded (with the message attribute <c>replayed</c>), an archive message to the bucket. Where it
/// writes comes from <see cref="ReplayDestinations"/> only: a body that names another table, bucket or
/// topic (ARN) is refused, counted as failed and left in the queue. A webhook message goes back to its subscription's
/// queue (<c>webhooks</c>), marked to start a new series of attempts.</summary>
public sealed class DeadLetterReplayer(
    IDynamoDbConditionalWriter dynamoDb,
    IAmazonSimpleNotificationService sns,
    TopicDirectory topics,
    IAmazonS3 s3,
    ReplayDestinations destinations,
    WebhookRedelivery? webhooks = null)
{
    public const string ReplayedAttribute = MessageAttributes.Replayed;

    /// <summary>What a replay would do, without doing it (for dry runs).</summary>
    public ReplayOutcome Check(string body)
    {
        var letter = DeadLetterBody.Read(body);
        return Classify(letter) ?? Refuse(letter) ?? new ReplayOutcome(ReplayResult.Replayed);
    }

    public async Task<ReplayOutcome> ReplayAsync(string body, CancellationToken cancellationToken)
    {
        var letter = DeadLetterBody.Read(body);
        if ((Classify(letter) ?? Refuse(letter)) is { } refused)
        {
            return refused;
        }

        try
        {
            return letter.Kind switch
            {
                DeadLetterMessage.IngestionKind => await WriteItemAsync(letter, cancellationToken),
                DeadLetterMessage.PublishKind => await PublishAsync(letter, cancellationToken),
                DeadLetterMessage.WebhookKind => await RequeueAsync(letter, cancellationToken),
                _ => await ArchiveAsync(letter, cancellationToken),
            };
        }
        catch (Exception e) when (AwsErrors.IsCallFailure(e, cancellationToken) || e is TopicNotFoundException or WebhookSecretUnavailableException)
        {
            var unavailable = e is Amazon.Runtime.AmazonServiceException service ? AwsErrors.IsTransient(service)
                : e is not (TopicNotFoundException or WebhookSecretUnavailableException);
            return new ReplayOutcome(ReplayResult.Failed, $"{AwsErrors.CodeOf(e)}: {e.Message}", unavailable);
        }
    }

    /// <summary>Whether a letter can be replayed at all, by its kind alone (null: it can).</summary>
    internal static ReplayOutcome? Classify(DeadLetterBody letter) => letter.Kind switch
    {
        DeadLetterMessage.IngestionKind when letter.Item is not null && letter.Target is not null => null,
        DeadLetterMessage.PublishKind when letter.Event is not null && (letter.Target is not null || letter.TopicArn is not null) => null,
        DeadLetterMessage.ArchiveKind when letter.Event is not null && letter.Target is not null => null,
        DeadLetterMessage.WebhookKind when letter.Event is not null && letter.Target is not null => null,
        DeadLetterMessage.WebhookKind when letter.Truncated => new ReplayOutcome(ReplayResult.Skipped,
            $"the event ({letter.Publisher}/{letter.EventId}) was too large for the queue; it is still in the table: pubsub webhooks resend {letter.Target} {letter.EventId}"),
        DeadLetterMessage.EventKind or DeadLetterMessage.PublishKind or DeadLetterMessage.ArchiveKind when letter.Event is null && letter.Truncated =>
            new ReplayOutcome(ReplayResult.Skipped,
                $"the event ({letter.Publisher}/{letter.EventId}) was too large for the queue; it is still in the table: pubsub events replay"),
        DeadLetterMessage.EventKind => new ReplayOutcome(ReplayResult.Skipped,
            $"an event dead-lettered as {letter.Reason} is not replayed from the queue; it is still in the table: fix the cause, then pubsub events replay"),
        DeadLetterMessage.UndecodableRecordKind => new ReplayOutcome(ReplayResult.Skipped,
            "an undecodable stream record cannot be replayed; it stays for inspection (the event is still in the table)"),
        _ => new ReplayOutcome(ReplayResult.Skipped, $"not a replayable dead letter ({letter.Kind}: {letter.ErrorMessage})"),
    };

    /// <summary>A body that names a destination other than this system's: never written there.</summary>
    private ReplayOutcome? Refuse(DeadLetterBody letter) => letter.Kind switch
    {
        DeadLetterMessage.IngestionKind when letter.Target != destinations.Table => Foreign(
            $"it names table '{letter.Target}', not this system's events table '{destinations.Table}' (set {ReplayDestinations.TableVariable} if the stack named it)"),
        DeadLetterMessage.PublishKind when letter.Target is null || !destinations.Topics.Contains(letter.Target) => Foreign(
            $"it names topic '{letter.Target ?? letter.TopicArn}', which is not a topic of the system definition"),
        DeadLetterMessage.PublishKind when letter.TopicArn is { } arn && !arn.EndsWith(":" + letter.Target, StringComparison.Ordinal) => Foreign(
            $"its topic ARN '{arn}' is not the ARN of its topic '{letter.Target}'"),
        DeadLetterMessage.WebhookKind when !destinations.WebhookQueues.ContainsKey(letter.Target!) => Foreign(
            $"it names webhook subscription '{letter.Target}', which is not a webhook subscription of the system definition"),
        DeadLetterMessage.ArchiveKind when letter.Target != destinations.ArchiveBucket => Foreign(
            $"it names bucket '{letter.Target}', not this system's archive bucket '{destinations.ArchiveBucket}' (set {ReplayDestinations.ArchiveBucketVariable} if the stack named it)"),
        _ => null,
    };

    private static ReplayOutcome Foreign(string reason) =>
        new(ReplayResult.Failed, $"refused: {reason}; a replay writes only where the definition and configuration say; left in the queue");

    private async Task<ReplayOutcome> WriteItemAsync(DeadLetterBody letter, CancellationToken cancellationToken)
    {
        var result = await dynamoDb.PutIfAbsentAsync(destinations.Table, letter.Item!, EventItem.Key, cancellationToken);
        if (result.Created)
        {
            return new ReplayOutcome(ReplayResult.Replayed);
        }

        var stored = result.Existing?.GetValueOrDefault(EventItem.FingerprintAttribute)?.S;
        var replaying = letter.Item!.GetValueOrDefault(EventItem.FingerprintAttribute)?.S;
        return stored == replaying
            ? new ReplayOutcome(ReplayResult.Duplicate)
            : new ReplayOutcome(ReplayResult.Failed,
                $"the table holds a different event with id '{letter.EventId}' from '{letter.Publisher}'; left in the queue for a person to decide");
    }

    private async Task<ReplayOutcome> PublishAsync(DeadLetterBody letter, CancellationToken cancellationToken)
    {
        var topicArn = await topics.ArnOfAsync(letter.Target!, cancellationToken);
        if (letter.TopicArn is { } named && named != topicArn)
        {
            return Foreign($"it names topic ARN '{named}', but topic '{letter.Target}' is '{topicArn}' here");
        }

        EventEnvelope envelope;
        try
        {
            envelope = letter.ToEnvelope();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return new ReplayOutcome(ReplayResult.Failed, $"its event cannot be read back ({e.Message}); left in the queue");
        }

        // The body is the event exactly as it was dead-lettered; the rest is mapped as the live path maps it.
        var message = EventMessage.For(envelope, topicArn, replayed: true, body: Encoding.UTF8.GetString(letter.Event!));
        await sns.PublishAsync(message.ToPublishRequest(topicArn), cancellationToken);
        return new ReplayOutcome(ReplayResult.Replayed);
    }

    /// <summary>Back to the subscription's queue, for the delivery worker to attempt it again.</summary>
    private async Task<ReplayOutcome> RequeueAsync(DeadLetterBody letter, CancellationToken cancellationToken)
    {
        if (webhooks is null)
        {
            return new ReplayOutcome(ReplayResult.Failed, "webhook dead letters are replayed by pubsub dlq replay (this replay cannot reach the webhooks' secrets); left in the queue");
        }

        try
        {
            letter.ToEnvelope();
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException or FormatException)
        {
            return new ReplayOutcome(ReplayResult.Failed, $"its event cannot be read back ({e.Message}); left in the queue");
        }

        await webhooks.RequeueAsync(destinations.WebhookQueues[letter.Target!], letter.Target!, letter, cancellationToken);
        return new ReplayOutcome(ReplayResult.Replayed);
    }

    private async Task<ReplayOutcome> ArchiveAsync(DeadLetterBody letter, CancellationToken cancellationToken)
    {
        var day = DateTime.UtcNow.ToString("yyyy/MM/dd", System.Globalization.CultureInfo.InvariantCulture);
        var id = SafeKeyPart(letter.EventId ?? Guid.NewGuid().ToString());
        await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = destinations.ArchiveBucket,
            Key = $"{SafeKeyPart(letter.Publisher ?? "unknown")}/{day}/replay-{id}.jsonl",
            ContentBody = Encoding.UTF8.GetString(letter.Event!) + "\n",
            ContentType = "application/x-ndjson",
        }, cancellationToken);
        return new ReplayOutcome(ReplayResult.Replayed);
    }

    private static string SafeKeyPart(string text) =>
        string.Concat(text.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '_'));
}
