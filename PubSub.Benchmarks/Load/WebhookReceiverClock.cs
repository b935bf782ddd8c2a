using System.Diagnostics;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using PubSub.Webhooks.Signing;

namespace PubSub.Benchmarks.Load;

/// <summary>A webhook receiver on loopback (Kestrel in this process, a free port) that does what a careful receiver
/// does for every request: verifies the Standard Webhooks signature with the secret of the subscription the path names
/// (<c>/hook/{subscription}</c>), reads the event's id, and answers 200 (401 when the signature does not verify). The
/// time is taken when the handler starts (<see cref="DeliveryClock"/>).</summary>
internal sealed class WebhookReceiverClock : DeliveryClock, IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly WebhookVerifier _verifier = new(TimeProvider.System);
    private readonly Dictionary<string, WebhookVerificationKeys> _keys;
    private int _verified;
    private int _refused;

    private WebhookReceiverClock(WebApplication app, IReadOnlyDictionary<string, WebhookSecret> secrets)
    {
        _app = app;
        _keys = secrets.ToDictionary(s => s.Key, s => new WebhookVerificationKeys(s.Value), StringComparer.Ordinal);
    }

    public int Port => new Uri(_app.Urls.First()).Port;

    /// <summary>Requests whose signature verified (every delivery and every request of the ceiling run).</summary>
    public int Verified => _verified;

    /// <summary>Requests refused: a signature that did not verify, or a subscription without a secret here.</summary>
    public int Refused => _refused;

    public Uri Url(string subscriptionId) => new($"http://127.0.0.1:{Port}/hook/{subscriptionId}");

    /// <param name="secrets">The signing secret of each subscription, by id.</param>
    public static async Task<WebhookReceiverClock> StartAsync(IReadOnlyDictionary<string, WebhookSecret> secrets)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var clock = new WebhookReceiverClock(app, secrets);
        app.MapPost("/hook/{subscription}", clock.HandleAsync);
        await app.StartAsync();
        return clock;
    }

    private async Task<IResult> HandleAsync(string subscription, HttpContext context)
    {
        var now = Stopwatch.GetTimestamp();
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body, context.RequestAborted);
        var headers = context.Request.Headers;
        if (!_keys.TryGetValue(subscription, out var keys)
            || !_verifier.Verify(headers[WebhookHeaderNames.Id], headers[WebhookHeaderNames.Timestamp], headers[WebhookHeaderNames.Signature],
                body.GetBuffer().AsSpan(0, (int)body.Length), keys).IsVerified)
        {
            Interlocked.Increment(ref _refused);
            return Results.StatusCode(StatusCodes.Status401Unauthorized);
        }

        Interlocked.Increment(ref _verified);
        using var document = JsonDocument.Parse(body.GetBuffer().AsMemory(0, (int)body.Length));
        Arrived(document.RootElement.GetProperty("id").GetString()!, now);
        return Results.Ok();
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }
}
