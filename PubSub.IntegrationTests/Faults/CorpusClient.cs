using System.Text.Json;
using PubSub.Definition;

namespace PubSub.IntegrationTests.Faults;

/// <summary>Sends the corpus's requests to the ingestion service with each publisher's key, pacing the
/// publishers whose plan is tight (so that the corpus tests the event, not the plan) and retrying a 429.</summary>
internal sealed class CorpusClient : IDisposable
{
    private const string ProblemPrefix = "urn:pubsub:problem:";
    private readonly HttpClient _http;
    private readonly IReadOnlyDictionary<string, string> _keys;
    private readonly Dictionary<string, Pacer> _pacers;

    public CorpusClient(Uri baseUrl, IReadOnlyDictionary<string, string> keys, SystemDefinition definition)
    {
        _http = new HttpClient { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(30) };
        _keys = keys;
        _pacers = definition.Publishers.Where(p => p.Plan is not null && p.Plan.RateLimit < 100)
            .ToDictionary(p => p.Name, p => new Pacer(TimeSpan.FromSeconds(1.25 / p.Plan!.RateLimit)), StringComparer.Ordinal);
    }

    /// <summary>A well-behaved <c>order.created</c> from <c>demo</c>, routed to the <c>orders</c> topic.</summary>
    public Task<Answer> SendNormalAsync(string id, CancellationToken cancellationToken) => SendAsync(new HostileRequest("normal", "normal", "demo",
        "application/cloudevents+json", $$$"""{"specversion":"1.0","id":"{{{id}}}","source":"corpus","type":"order.created","data":{"orderId":1}}""", []),
        cancellationToken);

    public async Task<Answer> SendAsync(HostileRequest request, CancellationToken cancellationToken)
    {
        var body = request.Utf8Body();
        for (var attempt = 1; ; attempt++)
        {
            if (_pacers.TryGetValue(request.Publisher, out var pacer))
            {
                await pacer.WaitAsync(cancellationToken);
            }

            using var message = Message(request, body);
            try
            {
                using var response = await _http.SendAsync(message, cancellationToken);
                var text = await response.Content.ReadAsStringAsync(cancellationToken);
                if ((int)response.StatusCode == 429 && attempt < 5)
                {
                    await Task.Delay(response.Headers.RetryAfter?.Delta ?? TimeSpan.FromSeconds(1), cancellationToken);
                    continue;
                }

                return Answer.Of((int)response.StatusCode, text);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                return new Answer(0, "(no answer: " + e.GetType().Name + ")", [], [], DateTimeOffset.UtcNow);
            }
        }
    }

    private HttpRequestMessage Message(HostileRequest request, byte[] body)
    {
        var message = new HttpRequestMessage(HttpMethod.Post, "/events") { Content = new ByteArrayContent(body) };
        if (request.ContentType is not null && !message.Content.Headers.TryAddWithoutValidation("Content-Type", request.ContentType))
        {
            throw new InvalidOperationException($"{request}: HttpClient refuses the content type");
        }

        var key = request.ApiKey ?? _keys[request.Publisher];
        if (key.Length > 0)
        {
            message.Headers.Add("x-api-key", key);
        }

        foreach (var (name, value) in request.Headers)
        {
            if (!message.Headers.TryAddWithoutValidation(name, value))
            {
                throw new InvalidOperationException($"{request}: HttpClient refuses header {name}");
            }
        }

        return message;
    }

    public void Dispose() => _http.Dispose();

    /// <summary>Spaces the requests of one publisher so that its plan's rate is never reached.</summary>
    private sealed class Pacer(TimeSpan interval)
    {
        private readonly Lock _lock = new();
        private DateTimeOffset _next = DateTimeOffset.MinValue;

        /// <summary>Waits for this request's slot: the first free one, <c>interval</c> after the previous.</summary>
        public Task WaitAsync(CancellationToken cancellationToken)
        {
            TimeSpan wait;
            lock (_lock)
            {
                var now = DateTimeOffset.UtcNow;
                var slot = _next > now ? _next : now;
                _next = slot + interval;
                wait = slot - now;
            }

            return wait > TimeSpan.Zero ? Task.Delay(wait, cancellationToken) : Task.CompletedTask;
        }
    }

    /// <summary>What the service answered to one request.</summary>
    /// <param name="Status">The HTTP status; 0 when there was no answer (connection cut, timeout).</param>
    /// <param name="ProblemType">For an error, its problem type (without <c>urn:pubsub:problem:</c>).</param>
    /// <param name="AcceptedIds">The ids the service took responsibility for (202, 200, a batch's 2xx items).</param>
    /// <param name="ItemProblems">A batch's refused items' problem types.</param>
    internal sealed record Answer(int Status, string? ProblemType, IReadOnlyList<string> AcceptedIds, IReadOnlyList<string> ItemProblems, DateTimeOffset At)
    {
        public bool Is2xx => Status is >= 200 and < 300;

        public bool Is4xx => Status is >= 400 and < 500;

        /// <summary>A 5xx or no answer at all: what no request may get.</summary>
        public bool IsFailure => Status is 0 or >= 500;

        public static Answer Of(int status, string body)
        {
            var at = DateTimeOffset.UtcNow;
            try
            {
                using var document = JsonDocument.Parse(body);
                var root = document.RootElement;
                if (status is >= 200 and < 300 && root.ValueKind == JsonValueKind.Object && root.TryGetProperty("results", out var results))
                {
                    var items = results.EnumerateArray().ToList();
                    return new Answer(status, null,
                        [.. items.Where(i => i.GetProperty("status").GetInt32() is >= 200 and < 300).Select(i => JsonText.Of(i.GetProperty("id")))],
                        [.. items.Where(i => i.TryGetProperty("problem", out var p) && p.ValueKind == JsonValueKind.Object)
                            .Select(i => Short(i.GetProperty("problem").TryGetProperty("type", out var t) ? JsonText.Of(t) : "(untyped)"))],
                        at);
                }

                if (status is >= 200 and < 300)
                {
                    return new Answer(status, null, [JsonText.Of(root.GetProperty("id"))], [], at);
                }

                return new Answer(status, root.ValueKind == JsonValueKind.Object && root.TryGetProperty("type", out var type) ? Short(JsonText.Of(type)) : $"({status} without a problem)", [], [], at);
            }
            catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
            {
                return new Answer(status, status is >= 200 and < 300 ? $"({status} unreadable: {e.Message})" : $"({status} without a problem)", [], [], at);
            }
        }

        private static string Short(string type) => type.StartsWith(ProblemPrefix, StringComparison.Ordinal) ? type[ProblemPrefix.Length..] : type;
    }
}
