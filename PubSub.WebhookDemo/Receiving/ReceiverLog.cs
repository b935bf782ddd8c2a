namespace PubSub.WebhookDemo.Receiving;

/// <summary>What the receiver logs: ids, sizes, results. Never a body, never a header's signature.</summary>
internal static partial class ReceiverLog
{
    [LoggerMessage(Level = LogLevel.Information, Message = "Received webhook {WebhookId}: {Bytes} bytes, verified ({Scheme})")]
    public static partial void Verified(ILogger logger, string webhookId, int bytes, string scheme);

    [LoggerMessage(Level = LogLevel.Information, Message = "Received webhook {WebhookId} again: {Bytes} bytes, verified ({Scheme}), already handled")]
    public static partial void Duplicate(ILogger logger, string webhookId, int bytes, string scheme);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Refused webhook {WebhookId}: {Bytes} bytes, {Failure}: {Reason}")]
    public static partial void Refused(ILogger logger, string? webhookId, int bytes, string failure, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Answered webhook {WebhookId} with {Status} (outage since {Since}): {Bytes} bytes, verified ({Scheme}), not handled")]
    public static partial void AnsweredOutage(ILogger logger, string webhookId, int status, DateTimeOffset since, int bytes, string scheme);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outage set: every verified delivery is answered {Status} (Retry-After {RetryAfterSeconds} s) until DELETE /outage")]
    public static partial void OutageSet(ILogger logger, int status, int? retryAfterSeconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outage cleared: deliveries are handled again")]
    public static partial void OutageCleared(ILogger logger);
}
