using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Amazon.SQS;
using PubSub.Aws;
using PubSub.DeadLetters;
using PubSub.Definition;
using PubSub.Events;
using PubSub.Webhooks.Delivery;
using PubSub.Webhooks.Signing;

namespace PubSub.Webhooks.Worker;

/// <summary>Delivers a batch of one webhook subscription's queued messages: each one admitted by the endpoint's circuit
/// and rate limit, signed, sent, recorded, and then deleted, hidden until its next attempt or dead-lettered
/// (docs/webhooks-delivery.md, "How the worker uses these types"). The messages of a batch go concurrently: one slow
/// receiver's timeout is that subscription's wait only.</summary>
public sealed partial class WebhookBatchDeliverer : IDisposable
{
    /// <summary>The POST body is the CloudEvent as published, in the structured mode of the CloudEvents HTTP binding.</summary>
    public const string ContentType = "application/cloudevents+json; charset=utf-8";

    /// <summary>A retry due this soon (a <c>Retry-After: 1</c>) is waited for in process rather than by hiding the message:
    /// SQS counts visibility in whole seconds, and a second's wait would become two.</summary>
    internal static readonly TimeSpan InProcessRetryLimit = TimeSpan.FromSeconds(2);

    /// <summary>How long one message may be worked on in process (attempts and short waits), well inside the
    /// visibility timeout the local reader asks for (the attempt's timeout plus 60 s).</summary>
    private static readonly TimeSpan InProcessBudget = TimeSpan.FromSeconds(45);

    /// <summary>How long a message waits when its subscription has no secret (an operator must add one).</summary>
    private static readonly TimeSpan NoSecretWait = TimeSpan.FromMinutes(1);

    private readonly Parts _parts;
    private readonly ILogger _logger;
    private readonly ConcurrentDictionary<string, bool> _remembered = new(StringComparer.Ordinal);

    /// <summary>When each message hidden in this process comes back, for the ordering (a key's head keeps its key until
    /// then); weak, so it lives as long as the message object.</summary>
    private readonly ConditionalWeakTable<QueuedDelivery, object> _comesBack = new();

    internal WebhookBatchDeliverer(Parts parts)
    {
        _parts = parts;
        _logger = parts.Logger;
    }

    /// <summary>What the core is composed of (<see cref="WebhookDeliveryCore.Create"/>).</summary>
    internal sealed record Parts(
        IAmazonSQS Sqs,
        IWebhookSecretSource Secrets,
        DynamoDbAttemptLog Attempts,
        DynamoDbCircuitStateStore Endpoints,
        EndpointCircuits Circuits,
        EndpointRateLimiter RateLimiter,
        GuardedHttpSender Sender,
        WebhookSigner Signer,
        RetrySchedule Schedule,
        WebhookDeadLetterQueue DeadLetters,
        WebhookAlerts Alerts,
        WebhookDeliveryMetrics Metrics,
        PartitionKeyOrdering Ordering,
        TimeProvider Time,
        ILogger<WebhookBatchDeliverer> Logger);

    /// <summary>Delivers <paramref name="messages"/> (all of <paramref name="subscription"/>'s queue,
    /// <paramref name="queueUrl"/>). Never throws for one message's failure; throws only when
    /// <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task<DeliveryBatchResult> DeliverAsync(SubscriptionDefinition subscription, string queueUrl,
        IReadOnlyList<QueuedDelivery> messages, CancellationToken cancellationToken)
    {
        if (!subscription.IsWebhook || subscription.Id is not { } id)
        {
            throw new ArgumentException("Not a webhook subscription with an id.", nameof(subscription));
        }

        await RememberAsync(subscription, cancellationToken);
        var keep = subscription.Ordering == SubscriptionDefinition.PartitionKeyOrdering
            ? await _parts.Ordering.DeliverAsync(subscription, messages, m => HandleSafelyAsync(subscription, queueUrl, m, cancellationToken),
                m => _comesBack.TryGetValue(m, out var back) ? (DateTimeOffset)back : null,
                (m, wait, receivedAt) => HideAsync(id, queueUrl, m, wait, receivedAt, "ordering", cancellationToken), cancellationToken)
            : await Task.WhenAll(messages.Select(m => HandleSafelyAsync(subscription, queueUrl, m, cancellationToken)));
        return new DeliveryBatchResult([.. messages.Where((_, i) => keep[i]).Select(m => m.MessageId)]);
    }

    /// <summary>The subscription's <c>timeoutSeconds</c> (default 15).</summary>
    internal static TimeSpan TimeoutOf(SubscriptionDefinition subscription) =>
        subscription.TimeoutSeconds is { } seconds ? TimeSpan.FromSeconds(seconds) : WebhookRequest.DefaultTimeout;

    public void Dispose() => _parts.Sender.Dispose();

    /// <summary>True when the message stays on the queue.</summary>
    private async Task<bool> HandleSafelyAsync(SubscriptionDefinition subscription, string queueUrl, QueuedDelivery message,
        CancellationToken cancellationToken)
    {
        try
        {
            return await HandleAsync(subscription, queueUrl, message, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // A store or queue that failed (or a bug): the message comes back after its visibility timeout, and the
            // redrive policy's maxReceiveCount ends a message that fails this way forever.
            LogMessageFailed(e, subscription.Id!, message.MessageId);
            return true;
        }
    }

    private async Task<bool> HandleAsync(SubscriptionDefinition subscription, string queueUrl, QueuedDelivery message,
        CancellationToken cancellationToken)
    {
        var id = subscription.Id!;
        var time = _parts.Time;
        // SQS counts a message's longest visibility from this receipt; the handling starts right after it.
        var receivedAt = time.GetUtcNow();
        var deadline = receivedAt + InProcessBudget;
        if (WebhookMessage.TryRead(message, out var problem) is not { } parsed)
        {
            return !await DeadLetterAsync(subscription, message, null, null, DeadLetterReason.WebhookMalformed, "Malformed", problem!, 0,
                cancellationToken);
        }

        var url = new Uri(subscription.Endpoint);
        AttemptRecord? ours = null; // after an attempt retried in process, the latest record is ours: no need to read it back
        while (true)
        {
            var now = time.GetUtcNow();
            var latest = ours ?? await _parts.Attempts.LatestAsync(parsed.Publisher, parsed.EventId, id, cancellationToken);
            var newSeries = ours is null && latest is { NextAttemptAt: null, Attempt.Outcome: not AttemptOutcome.Succeeded }
                && await StartsNewSeriesAsync(id, parsed, message, latest, cancellationToken);
            switch (latest)
            {
                case not null when newSeries:
                    break; // an operator's redelivery of an event whose attempts ended: attempted again, on a new schedule
                case { Attempt.Outcome: AttemptOutcome.Succeeded }:
                    return false; // delivered before (its delete failed, or SNS delivered it twice): not again
                case { NextAttemptAt: null }:
                    // The last attempt ended the event (410, or the last of the schedule) but its dead-lettering failed.
                    var gone = latest.Attempt.Outcome == AttemptOutcome.Gone;
                    return !await DeadLetterAsync(subscription, message, parsed.Publisher, parsed.EventId,
                        gone ? DeadLetterReason.WebhookEndpointDisabled : DeadLetterReason.WebhookAttemptsExhausted,
                        CodeOf(latest.Attempt), Describe(latest.Attempt), latest.Attempt.AttemptNumber, cancellationToken);
                case { NextAttemptAt: { } due } when due - now > TimeSpan.FromSeconds(1):
                    // Back early (a wait longer than SQS lets a message hide, or a receive after a failed hide).
                    return await HideAsync(id, queueUrl, message, due - now, receivedAt, "not-due", cancellationToken);
            }

            var number = (latest?.Attempt.AttemptNumber ?? 0) + 1;
            var seriesStart = newSeries ? number : latest?.SeriesStart ?? 1;
            var permit = await _parts.Circuits.AdmitAsync(id, cancellationToken);
            switch (permit.Kind)
            {
                case CircuitPermitKind.Disabled:
                    var state = await _parts.Circuits.GetAsync(id, cancellationToken);
                    return !await DeadLetterAsync(subscription, message, parsed.Publisher, parsed.EventId, DeadLetterReason.WebhookEndpointDisabled,
                        "EndpointDisabled", $"The endpoint is disabled ({state.DisabledReason ?? "no reason recorded"}); nothing was attempted",
                        number - 1, cancellationToken);
                case CircuitPermitKind.Wait:
                    // A little jitter, so that the messages held by one open circuit do not all come back at once.
                    // The wait grows with the message's receives (WebhookQueues.HeldWait), so that a long outage does not
                    // spend the receives the redrive policy allows before the retry schedule could end.
                    var held = WebhookQueues.HeldWait(permit.Wait, message.ReceiveCount);
                    var wait = held + TimeSpan.FromSeconds(Random.Shared.NextDouble() * Math.Max(1, held.TotalSeconds * 0.1));
                    return await HideAsync(id, queueUrl, message, wait, receivedAt, "circuit", cancellationToken);
            }

            if (await RateLimitAsync(subscription, cancellationToken) is { } limited)
            {
                return await HideAsync(id, queueUrl, message, limited, receivedAt, "rate-limit", cancellationToken);
            }

            WebhookSigningKeys keys;
            try
            {
                keys = await _parts.Secrets.GetAsync(id, cancellationToken);
            }
            catch (WebhookSecretMissingException e)
            {
                LogNoSecret(id, e.Message);
                return await HideAsync(id, queueUrl, message, WebhookQueues.HeldWait(NoSecretWait, message.ReceiveCount), receivedAt, "no-secret",
                    cancellationToken);
            }

            var signed = _parts.Signer.Sign(parsed.WebhookId, parsed.Body, keys);
            var attempt = await _parts.Sender.SendAsync(new WebhookRequest(parsed.EventId, id, url, number, parsed.Body, ContentType,
                [
                    new(WebhookHeaderNames.Id, signed.Id),
                    new(WebhookHeaderNames.Timestamp, signed.Timestamp),
                    new(WebhookHeaderNames.Signature, signed.Signature),
                ], TimeoutOf(subscription)), cancellationToken);
            _parts.Metrics.Attempted(id, attempt.Outcome.ToString(), attempt.Error.ToString(), attempt.Latency);
            // The schedule counts the attempts of this series only; the record keeps the number that goes on.
            var step = DeliveryPolicy.Decide(attempt with { AttemptNumber = number - seriesStart + 1 }, _parts.Schedule, Random.Shared);
            var afterAttempt = time.GetUtcNow();
            ours = new AttemptRecord(parsed.Publisher, attempt, step.Kind == NextStepKind.Retry ? afterAttempt + step.Delay : null, seriesStart);
            await RecordAsync(ours, cancellationToken);
            if (await _parts.Circuits.RecordAsync(attempt, cancellationToken) is { Alerts: true } transition)
            {
                await AlertAsync(subscription, transition, cancellationToken);
            }

            switch (step.Kind)
            {
                case NextStepKind.Delete:
                    _parts.Metrics.Delivered(id);
                    return false;
                case NextStepKind.Retry when step.Delay <= InProcessRetryLimit && afterAttempt + step.Delay + TimeoutOf(subscription) < deadline:
                    await Task.Delay(step.Delay, time, cancellationToken);
                    continue;
                case NextStepKind.Retry:
                    return await HideAsync(id, queueUrl, message, step.Delay, receivedAt, "retry", cancellationToken);
                case NextStepKind.DisableEndpoint:
                    return !await DeadLetterAsync(subscription, message, parsed.Publisher, parsed.EventId, DeadLetterReason.WebhookEndpointDisabled,
                        CodeOf(attempt), Describe(attempt), number, cancellationToken);
                default:
                    return !await DeadLetterAsync(subscription, message, parsed.Publisher, parsed.EventId, DeadLetterReason.WebhookAttemptsExhausted,
                        CodeOf(attempt), Describe(attempt), number, cancellationToken);
            }
        }
    }

    /// <summary>True when the message carries a series mark (<see cref="WebhookSeries"/>) that verifies with the
    /// subscription's secrets and names <paramref name="latest"/>, the failed attempt that ended the event: an operator
    /// asked for the event again. (A delivered event is not delivered again: two letters of one event, recovered together,
    /// deliver it once.) A mark that does not verify is ignored, and logged: a forgery, or a secret rotated away.</summary>
    private async Task<bool> StartsNewSeriesAsync(string id, WebhookMessage parsed, QueuedDelivery message, AttemptRecord latest,
        CancellationToken cancellationToken)
    {
        if (message.MessageAttributes.GetValueOrDefault(MessageAttributes.WebhookSeries) is not { } mark)
        {
            return false;
        }

        WebhookSigningKeys keys;
        try
        {
            keys = await _parts.Secrets.GetAsync(id, cancellationToken);
        }
        catch (WebhookSecretMissingException)
        {
            return false; // nothing could be signed either; the message ends as its attempts did
        }

        switch (WebhookSeries.Verify(mark, keys, id, parsed.Publisher, parsed.EventId))
        {
            case null:
                LogSeriesMarkRefused(id, message.MessageId);
                return false;
            case var after:
                return after == latest.Attempt.AttemptNumber; // another number: a series it started already
        }
    }

    /// <summary>Null to go now (after a wait under a second, in process), or the wait to hide the message for.</summary>
    private async Task<TimeSpan?> RateLimitAsync(SubscriptionDefinition subscription, CancellationToken cancellationToken)
    {
        while (_parts.RateLimiter.TryAcquire(subscription.Id!, subscription.RateLimit ?? EndpointRateLimiter.DefaultRate) is var wait
               && wait > TimeSpan.Zero)
        {
            if (wait >= TimeSpan.FromSeconds(1))
            {
                return wait;
            }

            await Task.Delay(wait, _parts.Time, cancellationToken);
        }

        return null;
    }

    private async Task RecordAsync(AttemptRecord record, CancellationToken cancellationToken)
    {
        try
        {
            await _parts.Attempts.RecordAsync(record, cancellationToken);
        }
        catch (Exception e) when (AwsErrors.IsCallFailure(e, cancellationToken))
        {
            // The attempt happened; without its record the next one reuses its number and the schedule restarts there.
            LogRecordFailed(e, record.Attempt.EndpointId, record.Attempt.EventId, record.Attempt.AttemptNumber);
        }
    }

    /// <summary>Hides the message for <paramref name="wait"/> (as far as SQS allows); true: it stays on the queue.</summary>
    private async Task<bool> HideAsync(string subscriptionId, string queueUrl, QueuedDelivery message, TimeSpan wait, DateTimeOffset receivedAt,
        string why, CancellationToken cancellationToken)
    {
        _parts.Metrics.Deferred(subscriptionId, why);
        try
        {
            var now = _parts.Time.GetUtcNow();
            var seconds = SqsVisibility.TimeoutSeconds(wait, receivedAt, now);
            _comesBack.AddOrUpdate(message, now + TimeSpan.FromSeconds(seconds));
            await _parts.Sqs.ChangeMessageVisibilityAsync(queueUrl, message.ReceiptHandle, seconds, cancellationToken);
        }
        catch (Exception e) when (AwsErrors.IsCallFailure(e, cancellationToken))
        {
            // It comes back after the visibility timeout it has; the attempts table still says when it is due.
            LogHideFailed(e, subscriptionId, message.MessageId);
        }

        return true;
    }

    /// <summary>True when the DLQ took it (the message is then deleted).</summary>
    private async Task<bool> DeadLetterAsync(SubscriptionDefinition subscription, QueuedDelivery message, string? publisher, string? eventId,
        string reason, string errorCode, string errorMessage, int attempts, CancellationToken cancellationToken)
    {
        if (!await _parts.DeadLetters.TrySendAsync(subscription, message, publisher, eventId, reason, errorCode, errorMessage, attempts,
                cancellationToken))
        {
            return false;
        }

        // A disabled endpoint's events are not alerted one by one: its disabling was.
        if (reason != DeadLetterReason.WebhookEndpointDisabled || attempts > 0 && errorCode == "Gone")
        {
            await _parts.Alerts.RaiseAsync(new WebhookAlert(WebhookAlert.DeadLettered, subscription.Id!, subscription.Endpoint, subscription.Topic,
                $"{reason}: {errorMessage}", _parts.Time.GetUtcNow(), publisher, eventId), cancellationToken);
        }

        return true;
    }

    private Task AlertAsync(SubscriptionDefinition subscription, CircuitTransition transition, CancellationToken cancellationToken) =>
        _parts.Alerts.RaiseAsync(new WebhookAlert(
            transition.To == CircuitStatus.Disabled ? WebhookAlert.EndpointDisabled : WebhookAlert.CircuitOpened,
            subscription.Id!, subscription.Endpoint, subscription.Topic,
            transition.To == CircuitStatus.Disabled
                ? transition.State.DisabledReason ?? "disabled"
                : $"{transition.State.ConsecutiveFailures} consecutive failures",
            _parts.Time.GetUtcNow(), ConsecutiveFailures: transition.State.ConsecutiveFailures), cancellationToken);

    /// <summary>Keeps the subscription's URL and topic on its endpoints item, once per process (and again after a failure).</summary>
    private async Task RememberAsync(SubscriptionDefinition subscription, CancellationToken cancellationToken)
    {
        var key = subscription.Id + "\n" + subscription.Endpoint + "\n" + subscription.Topic;
        if (_remembered.ContainsKey(key))
        {
            return;
        }

        try
        {
            await _parts.Endpoints.RememberAsync(subscription.Id!, subscription.Endpoint, subscription.Topic, cancellationToken);
            _remembered[key] = true;
        }
        catch (Exception e) when (AwsErrors.IsCallFailure(e, cancellationToken))
        {
            LogRememberFailed(e, subscription.Id!);
        }
    }

    private static string CodeOf(DeliveryAttempt attempt) => attempt switch
    {
        { Outcome: AttemptOutcome.Gone } => "Gone",
        { Error: not AttemptError.None } => attempt.Error.ToString(),
        { StatusCode: { } status } => $"Http{status}",
        _ => "Failed",
    };

    private static string Describe(DeliveryAttempt attempt) =>
        $"attempt {attempt.AttemptNumber}: {(attempt.StatusCode is { } status ? $"HTTP {status}" : "no answer")}"
        + (attempt.Error != AttemptError.None ? $", {attempt.Error}" : "")
        + (attempt.ErrorDetail is { } detail ? $" ({detail})" : "");

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Webhook subscription {SubscriptionId}: message {MessageId} carries a series mark that no secret of the subscription verifies (forged, or signed with a secret rotated away); ignored")]
    private partial void LogSeriesMarkRefused(string subscriptionId, string messageId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook subscription {SubscriptionId}: message {MessageId} failed; it will come back")]
    private partial void LogMessageFailed(Exception exception, string subscriptionId, string messageId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook subscription {SubscriptionId} has no signing secret ({Problem}); nothing is sent unsigned")]
    private partial void LogNoSecret(string subscriptionId, string problem);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Webhook subscription {SubscriptionId}: attempt {AttemptNumber} of event {EventId} could not be recorded")]
    private partial void LogRecordFailed(Exception exception, string subscriptionId, string eventId, int attemptNumber);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook subscription {SubscriptionId}: message {MessageId} could not be hidden")]
    private partial void LogHideFailed(Exception exception, string subscriptionId, string messageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook subscription {SubscriptionId}: its URL and topic could not be kept on the endpoints table")]
    private partial void LogRememberFailed(Exception exception, string subscriptionId);
}
