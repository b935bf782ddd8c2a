using System.Collections.Concurrent;
using System.Net;
using System.Text;

namespace PubSub.IntegrationTests.Faults;

/// <summary>Concurrent publishers posting 1-event requests (type <c>order.created</c>, routed to the
/// <c>orders</c> topic) until stopped, keeping the id of every event the service acknowledged.</summary>
internal sealed class PublisherLoad : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _senders;
    private int _sent;
    private int _rejected;
    private int _unanswered;

    public PublisherLoad(Uri baseUrl, string apiKey, int concurrency, TimeSpan? pause = null)
    {
        _http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(10) };
        _senders = Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(() => SendAsync(apiKey, pause ?? TimeSpan.Zero))));
    }

    /// <summary>Answered 2xx: the service took responsibility for these.</summary>
    public ConcurrentQueue<string> Accepted { get; } = new();

    public int Sent => _sent;

    /// <summary>Answered with an error status: not acknowledged; a publisher would retry them.</summary>
    public int Rejected => _rejected;

    /// <summary>No answer at all (connection refused or cut): not acknowledged either.</summary>
    public int Unanswered => _unanswered;

    public async Task WaitForAcceptedAsync(int count, TimeSpan timeout)
    {
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (Accepted.Count < count)
        {
            if (DateTimeOffset.UtcNow > deadline)
            {
                throw new TimeoutException($"Only {Accepted.Count} of {count} events were accepted ({Rejected} rejected, {Unanswered} unanswered).");
            }

            await Task.Delay(20);
        }
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _senders;
    }

    private async Task SendAsync(string apiKey, TimeSpan pause)
    {
        while (!_stop.IsCancellationRequested)
        {
            var id = Guid.NewGuid().ToString();
            using var request = new HttpRequestMessage(HttpMethod.Post, "/events")
            {
                Content = new StringContent($$$"""{"specversion":"1.0","id":"{{{id}}}","source":"fault-test","type":"order.created","data":{"orderId":1}}""",
                    Encoding.UTF8, "application/cloudevents+json"),
            };
            request.Headers.Add("x-api-key", apiKey);
            Interlocked.Increment(ref _sent);
            try
            {
                using var response = await _http.SendAsync(request);
                if (response.StatusCode is HttpStatusCode.Accepted or HttpStatusCode.OK)
                {
                    Accepted.Enqueue(id);
                }
                else
                {
                    Interlocked.Increment(ref _rejected);
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                Interlocked.Increment(ref _unanswered); // not acknowledged: the publisher retries, a little later
                await Task.Delay(50);
                continue;
            }

            if (pause > TimeSpan.Zero)
            {
                await Task.Delay(pause);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stop.IsCancellationRequested)
        {
            await StopAsync();
        }

        _stop.Dispose();
        _http.Dispose();
    }
}
