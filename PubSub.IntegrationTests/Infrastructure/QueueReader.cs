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

    /// <summary>Asserts that nothing arrives within <paramref name="wait"/>.</summary>
    public static async Task<List<Message>> DrainAsync(IAmazonSQS sqs, string queueUrl, TimeSpan wait) =>
        await ReceiveAsync(sqs, queueUrl, int.MaxValue, wait);
}
