using System.Collections.Concurrent;
using Microsoft.AspNetCore.Http;
using PubSub.IntegrationTests.Webhooks;
using PubSub.Webhooks.Signing;

namespace PubSub.IntegrationTests.Faults;

/// <summary>A webhook receiver for fault tests: real HTTP on loopback (<see cref="LoopbackReceiver"/>) that verifies every
/// signature with the subscription's secret (a request that fails is answered 401 and counted in <see cref="Refused"/>)
/// and counts each verified delivery by its <c>webhook-id</c> once it answers 200. After <see cref="HoldNext"/> the next
/// delivery gets no answer until its connection is cut (its sender killed) or <see cref="HoldLimit"/> passes: a held
/// delivery cut off is counted in <see cref="Cut"/>, not as received, because its sender never learnt of it.</summary>
internal sealed class WebhookCollector : IAsyncDisposable
{
    /// <summary>Far longer than a test takes to kill the sender once the delivery is held.</summary>
    public static readonly TimeSpan HoldLimit = TimeSpan.FromSeconds(30);

    private readonly WebhookVerifier _verifier = new(TimeProvider.System);
    private readonly WebhookVerificationKeys _keys;
    private readonly TaskCompletionSource<string> _held = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private LoopbackReceiver _receiver = null!;
    private int _holdNext;
    private int _refused;
    private int _cut;

    private WebhookCollector(WebhookSecret secret) => _keys = new WebhookVerificationKeys(secret);

    /// <summary>Each webhook-id answered 200, with how many times.</summary>
    public ConcurrentDictionary<string, int> Received { get; } = new(StringComparer.Ordinal);

    public Uri Url => _receiver.Url(host: "127.0.0.1");

    /// <summary>Requests whose signature did not verify.</summary>
    public int Refused => _refused;

    /// <summary>Held deliveries whose connection was cut before an answer.</summary>
    public int Cut => _cut;

    /// <summary>The webhook-id of the delivery held, once it arrived.</summary>
    public Task<string> Held => _held.Task;

    public static async Task<WebhookCollector> StartAsync(WebhookSecret secret)
    {
        var collector = new WebhookCollector(secret);
        collector._receiver = await LoopbackReceiver.StartAsync(collector.HandleAsync);
        return collector;
    }

    /// <summary>The next verified delivery is held (once).</summary>
    public void HoldNext() => Volatile.Write(ref _holdNext, 1);

    private async Task HandleAsync(HttpContext context, byte[] body)
    {
        var headers = context.Request.Headers;
        var id = headers[WebhookHeaderNames.Id].ToString();
        if (!_verifier.Verify(id, headers[WebhookHeaderNames.Timestamp], headers[WebhookHeaderNames.Signature], body, _keys).IsVerified)
        {
            Interlocked.Increment(ref _refused);
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
            return;
        }

        if (Interlocked.Exchange(ref _holdNext, 0) == 1)
        {
            _held.TrySetResult(id);
            try
            {
                await Task.Delay(HoldLimit, context.RequestAborted);
            }
            catch (OperationCanceledException)
            {
                Interlocked.Increment(ref _cut);
                return;
            }
        }

        context.Response.StatusCode = StatusCodes.Status200OK;
        await context.Response.CompleteAsync();
        Received.AddOrUpdate(id, 1, (_, n) => n + 1);
    }

    public ValueTask DisposeAsync() => _receiver.DisposeAsync();
}
