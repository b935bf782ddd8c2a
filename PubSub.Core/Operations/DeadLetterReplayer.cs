using System.Text;
using System.Text.Json;
using Amazon.S3;
using Amazon.S3.Model;
using PubSub.Aws;
using PubSub.Aws.DynamoDB;
using PubSub.Aws.SimpleNotificationService;
using PubSub.Aws.SimpleNotificationService.Model;
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
/// it recorded (with the message attribute <c>replayed</c>), an archive message to the bucket.</summary>
public sealed class DeadLetterReplayer(
    DynamoDbConditionalWriter dynamoDb,
    IAmazonSimpleNotificationService sns,
    TopicDirectory topics,
    IAmazonS3 s3)
{
    public const string ReplayedAttribute = MessageAttributes.Replayed;

    /// <summary>What a replay would do, without doing it (for dry runs).</summary>
    public static ReplayOutcome Check(string body) => Classify(DeadLetterBody.Read(body)) ?? new ReplayOutcome(ReplayResult.Replayed);

    public async Task<ReplayOutcome> ReplayAsync(string body, CancellationToken cancellationToken)
    {
        var letter = DeadLetterBody.Read(body);
        if (Classify(letter) is { } refused)
        {
            return refused;
        }

        try
        {
            return letter.Kind switch
            {
                DeadLetterMessage.IngestionKind => await WriteItemAsync(letter, cancellationToken),
                DeadLetterMessage.PublishKind => await PublishAsync(letter, cancellationToken),
                _ => await ArchiveAsync(letter, cancellationToken),
            };
        }
        catch (Exception e) when (AwsErrors.IsCallFailure(e, cancellationToken) || e is TopicNotFoundException)
        {
            var unavailable = e is Amazon.Runtime.AmazonServiceException service ? AwsErrors.IsTransient(service) : e is not TopicNotFoundException;
            return new ReplayOutcome(ReplayResult.Failed, $"{AwsErrors.CodeOf(e)}: {e.Message}", unavailable);
        }
    }

    private static ReplayOutcome? Classify(DeadLetterBody letter) => letter.Kind switch
    {
        DeadLetterMessage.IngestionKind when letter.Item is not null && letter.Target is not null => null,
        DeadLetterMessage.PublishKind when letter.Event is not null && (letter.Target is not null || letter.TopicArn is not null) => null,
        DeadLetterMessage.ArchiveKind when letter.Event is not null && letter.Target is not null => null,
        DeadLetterMessage.EventKind or DeadLetterMessage.PublishKind or DeadLetterMessage.ArchiveKind when letter.Event is null && letter.Truncated =>
            new ReplayOutcome(ReplayResult.Skipped,
                $"the event ({letter.Publisher}/{letter.EventId}) was too large for the queue; it is still in the table: pubsub events replay"),
        DeadLetterMessage.EventKind => new ReplayOutcome(ReplayResult.Skipped,
            $"an event dead-lettered as {letter.Reason} is not replayed from the queue; it is still in the table: fix the cause, then pubsub events replay"),
        DeadLetterMessage.UndecodableRecordKind => new ReplayOutcome(ReplayResult.Skipped,
            "an undecodable stream record cannot be replayed; it stays for inspection (the event is still in the table)"),
        _ => new ReplayOutcome(ReplayResult.Skipped, $"not a replayable dead letter ({letter.Kind}: {letter.ErrorMessage})"),
    };

    private async Task<ReplayOutcome> WriteItemAsync(DeadLetterBody letter, CancellationToken cancellationToken)
    {
        var result = await dynamoDb.PutIfAbsentAsync(letter.Target!, letter.Item!, EventItem.Key, cancellationToken);
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
        var topicArn = letter.TopicArn ?? await topics.ArnOfAsync(letter.Target!, cancellationToken);
        using var cloudEvent = JsonDocument.Parse(letter.Event!);
        var root = cloudEvent.RootElement;
        var attributes = new Dictionary<string, MessageAttributeValue>(StringComparer.Ordinal)
        {
            [ReplayedAttribute] = MessageAttributeValue.FromString("true"),
        };
        foreach (var name in new[] { "id", "type", "source", "subject", "publisher" })
        {
            if (root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text)
            {
                attributes[name] = MessageAttributeValue.FromString(text);
            }
        }

        if (root.TryGetProperty("sensitive", out var sensitive) && sensitive.ValueKind == JsonValueKind.True)
        {
            attributes["sensitive"] = MessageAttributeValue.FromString("true");
        }

        var fifo = topicArn.EndsWith(".fifo", StringComparison.Ordinal);
        await sns.PublishAsync(new PublishRequest
        {
            TopicArn = topicArn,
            Message = Encoding.UTF8.GetString(letter.Event!),
            MessageAttributes = attributes,
            MessageGroupId = fifo ? FifoKeys.GroupOf(root) : null,
            MessageDeduplicationId = fifo && letter.EventId is { } id ? FifoKeys.DeduplicationIdOf(letter.Publisher ?? "", id) : null,
        }, cancellationToken);
        return new ReplayOutcome(ReplayResult.Replayed);
    }

    private async Task<ReplayOutcome> ArchiveAsync(DeadLetterBody letter, CancellationToken cancellationToken)
    {
        var day = DateTime.UtcNow.ToString("yyyy/MM/dd", System.Globalization.CultureInfo.InvariantCulture);
        var id = string.Concat((letter.EventId ?? Guid.NewGuid().ToString()).Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' ? c : '_'));
        await s3.PutObjectAsync(new PutObjectRequest
        {
            BucketName = letter.Target,
            Key = $"{letter.Publisher ?? "unknown"}/{day}/replay-{id}.jsonl",
            ContentBody = Encoding.UTF8.GetString(letter.Event!) + "\n",
            ContentType = "application/x-ndjson",
        }, cancellationToken);
        return new ReplayOutcome(ReplayResult.Replayed);
    }
}
