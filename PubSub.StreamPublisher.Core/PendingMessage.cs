using System.Diagnostics;
using Amazon.DynamoDBStreams.Model;
using PubSub.DeadLetters;
using PubSub.Events;

namespace PubSub.StreamPublisher.Core;

/// <summary>One event on its way to one topic.</summary>
/// <param name="RecordIndex">Position of the stream record in its batch, to report it if it fails.</param>
/// <param name="Body">The structured CloudEvent JSON sent as the SNS message.</param>
/// <param name="Trace">The trace this publish belongs to (the ingestion request's).</param>
public sealed record PendingMessage(int RecordIndex, EventEnvelope Envelope, string Topic, string Body, ActivityContext Trace);

/// <summary>A message that could not be published after every attempt.</summary>
/// <param name="Permanent">SNS can never take this message (too large, refused characters, a permanent 4xx):
/// another attempt or a replay cannot help.</param>
public sealed record PublishFailure(PendingMessage Message, string? TopicArn, string ErrorCode, string ErrorMessage, int Attempts,
    bool Permanent = false)
{
    public string Reason => Permanent ? DeadLetterReason.Undeliverable : DeadLetterReason.PublishFailed;
}

/// <summary>A record dead-lettered before any topic was chosen.</summary>
/// <param name="Reason">A <see cref="DeadLetterReason"/>.</param>
/// <param name="Envelope">The event, when the record could be decoded.</param>
public sealed record RecordFailure(string Reason, Record Record, EventEnvelope? Envelope, string ErrorCode, string ErrorMessage);
