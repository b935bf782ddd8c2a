using System.Diagnostics;
using PubSub.Events;

namespace PubSub.StreamPublisher.Core;

/// <summary>One event on its way to one topic.</summary>
/// <param name="RecordIndex">Position of the stream record in its batch, to report it if it fails.</param>
/// <param name="Body">The structured CloudEvent JSON sent as the SNS message.</param>
/// <param name="Trace">The trace this publish belongs to (the ingestion request's).</param>
public sealed record PendingMessage(int RecordIndex, EventEnvelope Envelope, string Topic, string Body, ActivityContext Trace);

/// <summary>A message that could not be published after every attempt.</summary>
public sealed record PublishFailure(PendingMessage Message, string? TopicArn, string ErrorCode, string ErrorMessage, int Attempts);
