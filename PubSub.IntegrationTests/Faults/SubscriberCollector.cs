using System.Collections.Concurrent;
using System.Text.Json;
using Amazon.SQS;
using Amazon.SQS.Model;

namespace PubSub.IntegrationTests.Faults;

/// <summary>A subscriber: receives and deletes from its queue (raw delivery) all the time, counting
/// every event id it gets, so that duplicates show and nothing waits in the queue for the count.</summary>
internal sealed class SubscriberCollector : IAsyncDisposable
{
    private readonly IAmazonSQS _sqs;
    private readonly string _queueUrl;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _receivers;

    private readonly Action<string>? _inspect;

    /// <param name="inspect">Sees every message body received (for checks beyond the id).</param>
    public SubscriberCollector(IAmazonSQS sqs, string queueUrl, int receivers = 4, Action<string>? inspect = null)
    {
        _sqs = sqs;
        _queueUrl = queueUrl;
        _inspect = inspect;
        _receivers = Task.WhenAll(Enumerable.Range(0, receivers).Select(_ => Task.Run(ReceiveAsync)));
    }

    /// <summary>Each event id received, with how many times.</summary>
    public ConcurrentDictionary<string, int> Received { get; } = new(StringComparer.Ordinal);

    /// <summary>When each event, keyed by <see cref="KeyOf"/> (publisher and id), first arrived.</summary>
    public ConcurrentDictionary<string, DateTimeOffset> FirstReceipts { get; } = new(StringComparer.Ordinal);

    /// <summary>An event's identity: ids are unique per publisher only.</summary>
    public static string KeyOf(string publisher, string id) => publisher + "\n" + id;

    public int Deliveries => Received.Values.Sum();

    public int Duplicates => Received.Values.Sum(n => n - 1);

    /// <summary>Waits until every id in <paramref name="ids"/> arrived; false when the time ran out first.</summary>
    public Task<bool> WaitForAllAsync(IReadOnlyCollection<string> ids, TimeSpan timeout) => WaitForAllAsync(Received, ids, timeout);

    /// <summary>Keeps receiving until nothing more arrived for <paramref name="quiet"/>, so late duplicates are counted too.</summary>
    public Task SettleAsync(TimeSpan quiet) => SettleAsync(Received, quiet);

    /// <summary>Waits until <paramref name="received"/> (keys with how many times each arrived) holds every one of
    /// <paramref name="keys"/>; false when the time ran out first. Shared with <see cref="WebhookCollector"/>.</summary>
    public static async Task<bool> WaitForAllAsync(ConcurrentDictionary<string, int> received, IReadOnlyCollection<string> keys, TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (keys.Any(key => !received.ContainsKey(key)))
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                return false;
            }

            await Task.Delay(200);
        }

        return true;
    }

    /// <summary>Waits until the total of <paramref name="received"/> stayed the same for <paramref name="quiet"/>.</summary>
    public static async Task SettleAsync(ConcurrentDictionary<string, int> received, TimeSpan quiet)
    {
        var seen = -1;
        while (received.Values.Sum() is var total && total != seen)
        {
            seen = total;
            await Task.Delay(quiet);
        }
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
                if (response.Messages is not { Count: > 0 } messages)
                {
                    continue;
                }

                var now = DateTimeOffset.UtcNow;
                foreach (var message in messages)
                {
                    _inspect?.Invoke(message.Body);
                    var (publisher, id) = IdentityOf(message.Body);
                    Received.AddOrUpdate(id, 1, (_, n) => n + 1);
                    FirstReceipts.TryAdd(KeyOf(publisher, id), now);
                }

                await _sqs.DeleteMessageBatchAsync(new DeleteMessageBatchRequest(_queueUrl,
                    [.. messages.Select((m, i) => new DeleteMessageBatchRequestEntry(i.ToString(System.Globalization.CultureInfo.InvariantCulture), m.ReceiptHandle))]),
                    _stop.Token);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested)
            {
                return;
            }
        }
    }

    /// <summary>The publisher and id of a delivered CloudEvent; a body that is no CloudEvent, or an id
    /// that does not decode (a lone surrogate), is still counted, under its raw text.</summary>
    private static (string Publisher, string Id) IdentityOf(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            return (root.TryGetProperty("publisher", out var p) ? JsonText.Of(p) : "", root.TryGetProperty("id", out var id) ? JsonText.Of(id) : body);
        }
        catch (JsonException)
        {
            return ("", body);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await _receivers;
        _stop.Dispose();
    }
}
