namespace PubSub.Webhooks.Worker;

/// <summary>One message of a webhook subscription's queue, as both adapters hand it to the core: the local
/// worker from <c>ReceiveMessage</c>, the Lambda function from the SQS event.</summary>
/// <param name="MessageId">SQS's id, which the Lambda partial batch response names.</param>
/// <param name="ReceiptHandle">For <c>ChangeMessageVisibility</c> and (locally) <c>DeleteMessage</c>.</param>
/// <param name="Body">The raw SNS delivery: the CloudEvent the stream publisher published.</param>
/// <param name="MessageAttributes">The message's string attributes (raw delivery copies SNS's onto SQS's).</param>
/// <param name="FirstReceivedAt">SQS's <c>ApproximateFirstReceiveTimestamp</c>, for logs and ages. The 12 hours a message
/// may stay hidden (<see cref="Delivery.SqsVisibility"/>) count from each receipt, so the core counts them from when it
/// starts handling the message, not from this.</param>
/// <param name="ReceiveCount">SQS's <c>ApproximateReceiveCount</c>, for logs only: waits for the circuit or the
/// rate limit receive a message too, so the attempt number comes from the attempts table.</param>
public sealed record QueuedDelivery(
    string MessageId,
    string ReceiptHandle,
    string Body,
    IReadOnlyDictionary<string, string> MessageAttributes,
    DateTimeOffset FirstReceivedAt,
    int ReceiveCount);
