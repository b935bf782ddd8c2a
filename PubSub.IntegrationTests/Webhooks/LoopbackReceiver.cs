using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace PubSub.IntegrationTests.Webhooks;

/// <summary>A real HTTP receiver for webhook deliveries: Kestrel on 127.0.0.1, a free port, in this process. It
/// answers with the handler given to <c>StartAsync</c> and keeps what it saw.</summary>
internal sealed class LoopbackReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackReceiver(WebApplication app) => _app = app;

    public ConcurrentQueue<(string? Host, string ConnectionId, Dictionary<string, string> Headers, byte[] Body)> Seen { get; } = new();

    public int Port => new Uri(_app.Urls.First()).Port;

    /// <summary>The receiver's URL under <c>localhost</c> (a name that resolves to loopback).</summary>
    public Uri Url(string scheme = "http", string host = "localhost") => new($"{scheme}://{host}:{Port}/hook");

    public static Task<LoopbackReceiver> StartAsync(Func<HttpContext, Task> handle) => StartAsync((context, _) => handle(context));

    /// <param name="handle">Answers a request; it gets the body read (the request's stream is consumed by then).</param>
    public static async Task<LoopbackReceiver> StartAsync(Func<HttpContext, byte[], Task> handle)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        var receiver = new LoopbackReceiver(app);
        app.Run(async context =>
        {
            using var body = new MemoryStream();
            await context.Request.Body.CopyToAsync(body, context.RequestAborted);
            var headers = context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase);
            var bytes = body.ToArray();
            receiver.Seen.Enqueue((context.Request.Host.Value, context.Connection.Id, headers, bytes));
            await handle(context, bytes);
        });
        await app.StartAsync();
        return receiver;
    }

    public async ValueTask DisposeAsync()
    {
        using var stop = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(stop.Token);
        await _app.DisposeAsync();
    }
}
