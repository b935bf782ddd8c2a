using Amazon.SQS;
using Amazon.SQS.Model;

namespace PubSub.IntegrationTests.Infrastructure;

internal static class QueueReader
{
    /// <summary>Receives (and deletes) messages until <paramref name="count"/> arrived or the time is up.</summary>
    public static async Task<List<Message>> ReceiveAsync(IAmazonSQS sqs, string queueUrl, int count, TimeSpan timeout)
    {
        var received = new List<Message>();
        using var deadline = new CancellationTokenSource(timeout);
        while (received.Count < count && !deadline.IsCancellationRequested)
        {
            var response = await sqs.ReceiveMessageAsync(new ReceiveMessageRequest
            {
                QueueUrl = queueUrl,
                MaxNumberOfMessages = 10,
                WaitTimeSeconds = 1,
                MessageAttributeNames = ["All"],
            });
            foreach (var message in response.Messages ?? [])
            {
                received.Add(message);
                await sqs.DeleteMessageAsync(queueUrl, message.ReceiptHandle);
            }
        }

        return received;
    }

    /// <summary>Receives (and deletes) messages until the one with message attribute <c>id</c> = <paramref name="id"/>
    /// arrives, passing over what earlier tests left on a queue they share; throws when it does not arrive in time.</summary>
    public static async Task<Message> ReceiveEventAsync(IAmazonSQS sqs, string queueUrl, string id, TimeSpan timeout)
    {
        using var deadline = new CancellationTokenSource(timeout);
        while (!deadline.IsCancellationRequested)
        {
            foreach (var message in await ReceiveAsync(sqs, queueUrl, 1, timeout))
            {
                if (message.MessageAttributes.TryGetValue("id", out var value) && value.StringValue == id)
                {
                    return message;
                }
            }
        }

        throw new TimeoutException($"Event {id} did not arrive on {queueUrl} within {timeout}.");
    }

    /// <summary>Asserts that nothing arrives within <paramref name="wait"/>.</summary>
    public static async Task<List<Message>> DrainAsync(IAmazonSQS sqs, string queueUrl, TimeSpan wait) =>
        await ReceiveAsync(sqs, queueUrl, int.MaxValue, wait);
}
