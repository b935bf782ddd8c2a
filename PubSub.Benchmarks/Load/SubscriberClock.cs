using System.Diagnostics;
using System.Text.Json;
using Amazon.SQS;
using Amazon.SQS.Model;

namespace PubSub.Benchmarks.Load;

/// <summary>A subscriber that receives and deletes from its queue without pause and, for every event
/// whose send time it was told, records how long after the send it arrived (<see cref="DeliveryClock"/>).</summary>
internal sealed class SubscriberClock : DeliveryClock, IAsyncDisposable
{
    private readonly IAmazonSQS _sqs;
    private readonly string _queueUrl;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receivers;

    public SubscriberClock(IAmazonSQS sqs, string queueUrl, int receivers)
    {
        _sqs = sqs;
        _queueUrl = queueUrl;
        _receivers = Task.WhenAll(Enumerable.Range(0, receivers).Select(_ => Task.Run(ReceiveAsync)));
    }

    private async Task ReceiveAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var response = await _sqs.ReceiveMessageAsync(new ReceiveMessageRequest
                {
                    QueueUrl = _queueUrl, MaxNumberOfMessages = 10, WaitTimeSeconds = 1,
                }, _stop.Token);
                var now = Stopwatch.GetTimestamp();
                if (response.Messages is not { Count: > 0 } messages)
                {
                    continue;
                }

                foreach (var message in messages)
                {
                    Arrived(JsonDocument.Parse(message.Body).RootElement.GetProperty("id").GetString()!, now);
                }

                await _sqs.DeleteMessageBatchAsync(new DeleteMessageBatchRequest(_queueUrl,
                    [.. messages.Select((m, i) => new DeleteMessageBatchRequestEntry(i.ToString(System.Globalization.CultureInfo.InvariantCulture), m.ReceiptHandle))]),
                    _stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
            catch (AmazonSQSException e)
            {
                Console.Error.WriteLine($"subscriber: {e.ErrorCode} {e.Message}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _receivers;
        _stop.Dispose();
    }
}
