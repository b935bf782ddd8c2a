using System.Globalization;
using Amazon.SQS;
using Amazon.SQS.Model;
using PubSub.Definition;

namespace PubSub.Operations;

/// <summary>The system's dead-letter queues as an operator sees them: their depth, their messages,
/// a replay that writes each message back where it failed to go, and a purge.</summary>
public sealed class DeadLetterQueues(IAmazonSQS sqs, SystemDefinition definition, DeadLetterReplayer replayer, TimeProvider timeProvider)
{
    /// <summary>How long a message being replayed stays hidden; if the replay dies it reappears after this.</summary>
    public static readonly TimeSpan ReplayVisibility = TimeSpan.FromSeconds(30);

    /// <summary>The ingestion and publish DLQs, then each webhook subscription's (role <c>webhook-ID</c>).</summary>
    public IReadOnlyList<(string Role, string Name)> Queues =>
    [
        .. definition.DeadLetterQueues.ByRole(),
        .. definition.Subscriptions.Where(s => s is { IsWebhook: true, Id: not null })
            .Select(s => (WebhookRole(s.Id!), WebhookNames.DeadLetterQueue(definition, s.Id!))),
    ];

    /// <summary>The role that names webhook subscription <paramref name="id"/>'s DLQ in <c>pubsub dlq</c>.</summary>
    public static string WebhookRole(string id) => "webhook-" + id;

    /// <summary>The queue for a role (<c>ingestion</c>, <c>publish</c>, <c>webhook-ID</c>) or a queue name.</summary>
    public (string Role, string Name) Resolve(string nameOrRole) =>
        Queues.FirstOrDefault(q => q.Role == nameOrRole || q.Name == nameOrRole) is { Name: not null } found
            ? found
            : throw new ArgumentException(
                $"'{nameOrRole}' is not a dead-letter queue of {definition.Name}; use one of: {string.Join(", ", Queues.Select(q => $"{q.Role} ({q.Name})"))}.");

    public async Task<IReadOnlyList<DeadLetterQueueStatus>> ListAsync(CancellationToken cancellationToken)
    {
        var statuses = new List<DeadLetterQueueStatus>();
        foreach (var (role, name) in Queues)
        {
            statuses.Add(await StatusAsync(role, name, cancellationToken));
        }

        return statuses;
    }

    public async Task<DeadLetterQueueStatus> StatusAsync(string role, string name, CancellationToken cancellationToken)
    {
        var url = await UrlOfAsync(name, cancellationToken);
        var attributes = await sqs.GetQueueAttributesAsync(new GetQueueAttributesRequest
        {
            QueueUrl = url,
            AttributeNames = ["ApproximateNumberOfMessages", "ApproximateNumberOfMessagesNotVisible"],
        }, cancellationToken);
        return new DeadLetterQueueStatus(role, name, url, attributes.ApproximateNumberOfMessages,
            attributes.ApproximateNumberOfMessagesNotVisible);
    }

    /// <summary>Up to <paramref name="max"/> messages, returned to the queue at once (their receive count grows by one).</summary>
    public async Task<IReadOnlyList<DeadLetterEntry>> PeekAsync(string nameOrRole, int max, CancellationToken cancellationToken)
    {
        var url = await UrlOfAsync(Resolve(nameOrRole).Name, cancellationToken);
        var messages = await ReceiveAsync(url, max, TimeSpan.FromSeconds(30), cancellationToken);
        await ReleaseAsync(url, messages, cancellationToken);
        return [.. messages.Select(Describe)];
    }

    /// <summary>Writes each message back (ingestion: the table; publish: its topic; archive: the
    /// bucket) and deletes it only then. A crash mid-way leaves the message to reappear and be replayed
    /// again; the table's conditional write and subscribers' deduplication by id absorb the repeat.</summary>
    public async Task<ReplayReport> ReplayAsync(string nameOrRole, int max, bool dryRun, IProgress<ReplayReport>? progress,
        CancellationToken cancellationToken)
    {
        var url = await UrlOfAsync(Resolve(nameOrRole).Name, cancellationToken);
        int read = 0, replayed = 0, duplicates = 0, failed = 0, skipped = 0;
        var problems = new List<string>();
        var held = new List<Message>(); // dry runs and failures are released at the end, not re-read in this run
        var stopped = false;
        try
        {
            while (read < max && !stopped)
            {
                var batch = await ReceiveAsync(url, Math.Min(10, max - read), ReplayVisibility, cancellationToken);
                if (batch.Count == 0)
                {
                    break;
                }

                foreach (var message in batch)
                {
                    if (stopped)
                    {
                        held.Add(message); // not tried: back to the queue as it was
                        continue;
                    }

                    read++;
                    var outcome = dryRun ? replayer.Check(message.Body) : await replayer.ReplayAsync(message.Body, cancellationToken);
                    switch (outcome.Result)
                    {
                        case ReplayResult.Replayed when !dryRun:
                            replayed++;
                            await sqs.DeleteMessageAsync(url, message.ReceiptHandle, cancellationToken);
                            break;
                        case ReplayResult.Duplicate when !dryRun:
                            duplicates++;
                            await sqs.DeleteMessageAsync(url, message.ReceiptHandle, cancellationToken);
                            break;
                        case ReplayResult.Replayed or ReplayResult.Duplicate:
                            replayed++; // would be replayed
                            held.Add(message);
                            break;
                        case ReplayResult.Failed:
                            failed++;
                            held.Add(message);
                            problems.Add($"{message.MessageId}: {outcome.Problem}");
                            if (outcome.DestinationUnavailable)
                            {
                                // Every message after this one would wait out the same retries and fail alike.
                                stopped = true;
                                problems.Add("stopped: the destination is unavailable; the messages not replayed stay in the queue, run the replay again once it is back");
                            }

                            break;
                        default:
                            skipped++;
                            held.Add(message);
                            problems.Add($"{message.MessageId}: {outcome.Problem}");
                            break;
                    }
                }

                progress?.Report(new ReplayReport(read, replayed, duplicates, failed, skipped, dryRun, problems, stopped));
            }
        }
        finally
        {
            await ReleaseAsync(url, held, CancellationToken.None);
        }

        return new ReplayReport(read, replayed, duplicates, failed, skipped, dryRun, problems, stopped);
    }

    public async Task PurgeAsync(string nameOrRole, CancellationToken cancellationToken) =>
        await sqs.PurgeQueueAsync(await UrlOfAsync(Resolve(nameOrRole).Name, cancellationToken), cancellationToken);

    private async Task<string> UrlOfAsync(string name, CancellationToken cancellationToken) =>
        (await sqs.GetQueueUrlAsync(name, cancellationToken)).QueueUrl;

    private async Task<List<Message>> ReceiveAsync(string url, int max, TimeSpan visibility, CancellationToken cancellationToken)
    {
        var messages = new List<Message>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (messages.Count < max)
        {
            var response = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest
            {
                QueueUrl = url,
                MaxNumberOfMessages = Math.Min(10, max - messages.Count),
                VisibilityTimeout = (int)visibility.TotalSeconds,
                WaitTimeSeconds = 0,
                MessageSystemAttributeNames = ["SentTimestamp", "ApproximateReceiveCount"],
            }, cancellationToken);
            var fresh = (response.Messages ?? []).Where(m => seen.Add(m.MessageId)).ToList();
            if (fresh.Count == 0)
            {
                break;
            }

            messages.AddRange(fresh);
        }

        return messages;
    }

    private async Task ReleaseAsync(string url, List<Message> messages, CancellationToken cancellationToken)
    {
        foreach (var message in messages)
        {
            try
            {
                await sqs.ChangeMessageVisibilityAsync(url, message.ReceiptHandle, 0, cancellationToken);
            }
            catch (Exception e) when (e is AmazonSQSException or ReceiptHandleIsInvalidException)
            {
                // it becomes visible again when its timeout ends anyway
            }
        }
    }

    private DeadLetterEntry Describe(Message message)
    {
        var sent = message.Attributes is { } attributes && attributes.TryGetValue("SentTimestamp", out var millis)
                   && long.TryParse(millis, NumberStyles.None, CultureInfo.InvariantCulture, out var ms)
            ? DateTimeOffset.FromUnixTimeMilliseconds(ms)
            : (DateTimeOffset?)null;
        var info = DeadLetterBody.Read(message.Body);
        var failedAt = info.FailedAt ?? sent;
        return new DeadLetterEntry(message.MessageId, info, failedAt, failedAt is { } at ? timeProvider.GetUtcNow() - at : TimeSpan.Zero);
    }
}
