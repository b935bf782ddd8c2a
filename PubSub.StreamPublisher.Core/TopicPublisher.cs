using Amazon.Runtime;
using System.Diagnostics;
using System.Text;
using PubSub.Aws;
using Amazon.SimpleNotificationService;
using Amazon.SimpleNotificationService.Model;
using PubSub.Aws.SimpleNotificationService;
using PubSub.Events;
using PubSub.Telemetry;

namespace PubSub.StreamPublisher.Core;

/// <summary>Publishes messages to one topic with PublishBatch (10 entries and 256 KiB per call), each entry
/// mapped by <see cref="EventMessage"/>. A failed call is not retried here (the SNS client retries it: one retry
/// layer per call); only the entries SNS failed inside a call that succeeded are sent again, alone, with the
/// backoff for such re-sends (<see cref="Backoff.EntryResend"/>), within the same time budget. What still fails is returned,
/// never dropped.</summary>
public sealed class TopicPublisher(
    IAmazonSimpleNotificationService sns,
    TopicDirectory topics,
    PublisherSettings settings,
    StreamPublisherMetrics metrics,
    TimeProvider timeProvider)
{
    public const int MaxEntriesPerBatch = 10;
    public const int MaxBatchBytes = 256 * 1024;

    /// <summary>Publishes within the time left before the current <see cref="CallDeadline"/>, less
    /// <see cref="PublisherSettings.FallbackReserve"/>, which is kept for dead-lettering what fails.</summary>
    public async Task<IReadOnlyList<PublishFailure>> PublishAsync(string topic, IReadOnlyList<PendingMessage> messages,
        CancellationToken cancellationToken)
    {
        using var budget = TimeBudget.Reserving(settings.FallbackReserve, timeProvider, cancellationToken);
        string topicArn;
        try
        {
            topicArn = await topics.ArnOfAsync(topic, budget.Token);
        }
        catch (Exception e) when (e is TopicNotFoundException || AwsErrors.IsCallFailure(e, cancellationToken))
        {
            return [.. messages.Select(m => new PublishFailure(m, null, "TopicNotFound", e.Message, 1))];
        }

        var failures = new List<PublishFailure>();
        foreach (var chunk in Chunk(messages))
        {
            failures.AddRange(await PublishChunkAsync(topic, topicArn, chunk, budget.Token, cancellationToken));
        }

        return failures;
    }

    private async Task<List<PublishFailure>> PublishChunkAsync(string topic, string topicArn, List<PendingMessage> chunk,
        CancellationToken budget, CancellationToken cancellationToken)
    {
        using var activity = StartActivity(topic, chunk);
        var started = timeProvider.GetTimestamp();
        var remaining = chunk;
        var failures = new List<PublishFailure>();
        for (var attempt = 1; remaining.Count > 0; attempt++)
        {
            var retry = new List<(PendingMessage Message, string Code, string Error)>();
            try
            {
                var response = await sns.PublishBatchAsync(ToRequest(topicArn, remaining), budget);
                metrics.Published(topic, response.Successful.Count);
                foreach (var failed in response.Failed)
                {
                    var message = remaining[int.Parse(failed.Id.AsSpan(1), System.Globalization.CultureInfo.InvariantCulture)];
                    if (failed.SenderFault)
                    {
                        // SNS refused the message itself (too large, invalid): another attempt cannot help.
                        failures.Add(new PublishFailure(message, topicArn, failed.Code, failed.Message ?? failed.Code, attempt, Permanent: true));
                    }
                    else
                    {
                        retry.Add((message, failed.Code, failed.Message ?? failed.Code));
                    }
                }
            }
            catch (Exception e) when (AwsErrors.IsCallFailure(e, cancellationToken))
            {
                // The client has retried the call already (the one retry layer), or the budget is spent.
                // A refusal of the message itself (invalid parameter) is permanent: the record is undeliverable.
                var permanent = e is AmazonServiceException refused && SnsMessageCheck.IsMessageRejection(refused.ErrorCode);
                failures.AddRange(remaining.Select(m => new PublishFailure(m, topicArn, AwsErrors.CodeOf(e), e.Message, attempt, permanent)));
                break;
            }

            if (retry.Count == 0)
            {
                break;
            }

            // A partial failure: only the failed entries are sent again, within the same budget.
            if (attempt >= settings.MaxPublishAttempts || !await BackOffAsync(attempt, budget, cancellationToken))
            {
                failures.AddRange(retry.Select(r => new PublishFailure(r.Message, topicArn, r.Code, r.Error, attempt)));
                break;
            }

            remaining = [.. retry.Select(r => r.Message)];
        }

        metrics.PublishDuration(topic, timeProvider.GetElapsedTime(started));
        if (failures.Count > 0)
        {
            activity?.SetStatus(ActivityStatusCode.Error, $"{failures.Count} of {chunk.Count} messages failed");
        }

        return failures;
    }

    /// <summary>Waits before re-sending failed entries; false when the budget ends first.</summary>
    private async Task<bool> BackOffAsync(int attempt, CancellationToken budget, CancellationToken cancellationToken)
    {
        try
        {
            // SNS failed these entries on its side (a throttle, mostly): waits of 50-100 ms, then 100-200 ms, as
            // before the backoffs were made one; the client's 50 ms base would send more throttled entries to the DLQ.
            await Task.Delay(Backoff.EntryResend.DelayBefore(attempt - 1), timeProvider, budget);
            return true;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }

    private static PublishBatchRequest ToRequest(string topicArn, List<PendingMessage> messages) => new()
    {
        TopicArn = topicArn,
        PublishBatchRequestEntries = [.. messages.Select((m, i) =>
            EventMessage.For(m.Envelope, topicArn, body: m.Body).ToBatchEntry("e" + i.ToString(System.Globalization.CultureInfo.InvariantCulture)))],
    };

    /// <summary>Splits into batches within SNS's limits of entry count and total size.</summary>
    private static IEnumerable<List<PendingMessage>> Chunk(IReadOnlyList<PendingMessage> messages)
    {
        var chunk = new List<PendingMessage>(MaxEntriesPerBatch);
        var bytes = 0;
        foreach (var message in messages)
        {
            var size = Encoding.UTF8.GetByteCount(message.Body) + MessageAttributes.SizeOf(message.Envelope);
            if (chunk.Count > 0 && (chunk.Count == MaxEntriesPerBatch || bytes + size > MaxBatchBytes))
            {
                yield return chunk;
                chunk = new List<PendingMessage>(MaxEntriesPerBatch);
                bytes = 0;
            }

            chunk.Add(message);
            bytes += size;
        }

        if (chunk.Count > 0)
        {
            yield return chunk;
        }
    }

    /// <summary>One span per call, in the trace of its first event and linked to the others'.</summary>
    private static Activity? StartActivity(string topic, List<PendingMessage> chunk)
    {
        var links = chunk.Skip(1).Where(m => m.Trace != default).Select(m => new ActivityLink(m.Trace));
        var activity = PubSubTelemetry.StreamPublisher.StartActivity(ActivityKind.Producer, chunk[0].Trace, links: links,
            name: $"{topic} publish");
        activity?.SetTag("messaging.system", "aws_sns");
        activity?.SetTag("messaging.operation.name", "PublishBatch");
        activity?.SetTag("messaging.destination.name", topic);
        activity?.SetTag("messaging.batch.message_count", chunk.Count);
        return activity;
    }
}
