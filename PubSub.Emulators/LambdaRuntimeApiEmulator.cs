using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace PubSub.Emulators;

/// <summary>Lambda's Runtime API (2018-06-01) on a local port: hands queued events to a custom
/// runtime's <c>next</c> calls and collects its responses and errors, so that a runtime (in process,
/// or the real <c>bootstrap</c> executable) can be tested and measured without AWS.</summary>
public sealed class LambdaRuntimeApiEmulator : IAsyncDisposable
{
    public const string FunctionArn = "arn:aws:lambda:us-east-1:123456789012:function:pubsub-test";

    private readonly WebApplication _app;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>();
    private readonly ConcurrentDictionary<string, Pending> _inFlight = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource<long> _firstNext = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<InvocationOutcome> _initError = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private LambdaRuntimeApiEmulator(WebApplication app) => _app = app;

    /// <summary>host:port, the value for <c>AWS_LAMBDA_RUNTIME_API</c>.</summary>
    public string Address { get; private set; } = "";

    /// <summary>Completes with <see cref="Stopwatch.GetTimestamp"/> at the first <c>next</c> call: the
    /// end of the runtime's initialisation.</summary>
    public Task<long> FirstNextRequested => _firstNext.Task;

    /// <summary>Completes when the runtime reports an initialisation error.</summary>
    public Task<InvocationOutcome> InitError => _initError.Task;

    /// <summary>Number of <c>next</c> calls so far.</summary>
    public int NextCalls => _nextCalls;

    /// <summary>Number of responses and invocation errors taken so far, counted before the runtime is answered (a
    /// caller's <see cref="InvokeAsync"/> completes a little later, on another thread).</summary>
    public int Answers => _answers;

    private int _nextCalls;
    private int _answers;
    private int? _failNextResponse;
    private bool _failArmed;

    /// <summary>Fails the next response post once: with <paramref name="status"/>, or (null) by dropping the
    /// connection without an answer. The invocation stays unanswered, as Lambda would time it out.</summary>
    public void FailNextResponse(int? status = null)
    {
        lock (_queue)
        {
            (_failArmed, _failNextResponse) = (true, status);
        }
    }

    private bool TakeResponseFailure(out int? status)
    {
        lock (_queue)
        {
            (var armed, status, _failArmed) = (_failArmed, _failNextResponse, false);
            return armed;
        }
    }

    public static async Task<LambdaRuntimeApiEmulator> StartAsync(CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var emulator = new LambdaRuntimeApiEmulator(app);
        emulator.Map(app);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        emulator.Address = new Uri(app.Urls.First()).Authority;
        return emulator;
    }

    /// <summary>Queues an event and waits for the runtime's answer to it.</summary>
    public async Task<InvocationOutcome> InvokeAsync(ReadOnlyMemory<byte> payload, TimeSpan? timeout = null,
        string? traceId = null, CancellationToken cancellationToken = default)
    {
        var pending = new Pending(Guid.NewGuid().ToString(), payload, DateTimeOffset.UtcNow + (timeout ?? TimeSpan.FromSeconds(30)), traceId);
        await _queue.Writer.WriteAsync(pending, cancellationToken).ConfigureAwait(false);
        return await pending.Outcome.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
    }

    private void Map(WebApplication app)
    {
        app.MapGet("/2018-06-01/runtime/invocation/next", async (HttpContext context) =>
        {
            _firstNext.TrySetResult(Stopwatch.GetTimestamp());
            Interlocked.Increment(ref _nextCalls);
            var pending = await _queue.Reader.ReadAsync(context.RequestAborted).ConfigureAwait(false);
            _inFlight[pending.RequestId] = pending;
            var headers = context.Response.Headers;
            headers["Lambda-Runtime-Aws-Request-Id"] = pending.RequestId;
            headers["Lambda-Runtime-Deadline-Ms"] = pending.Deadline.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture);
            headers["Lambda-Runtime-Invoked-Function-Arn"] = FunctionArn;
            if (pending.TraceId is not null)
            {
                headers["Lambda-Runtime-Trace-Id"] = pending.TraceId;
            }

            context.Response.ContentType = "application/json";
            await context.Response.Body.WriteAsync(pending.Payload, context.RequestAborted).ConfigureAwait(false);
        });
        app.MapPost("/2018-06-01/runtime/invocation/{requestId}/response", (string requestId, HttpContext context) =>
            CompleteAsync(requestId, context, isError: false));
        app.MapPost("/2018-06-01/runtime/invocation/{requestId}/error", (string requestId, HttpContext context) =>
            CompleteAsync(requestId, context, isError: true));
        app.MapPost("/2018-06-01/runtime/init/error", async (HttpContext context) =>
        {
            var body = await ReadAsync(context).ConfigureAwait(false);
            _initError.TrySetResult(new InvocationOutcome("", true, body, context.Request.Headers["Lambda-Runtime-Function-Error-Type"].ToString()));
            return Results.Accepted();
        });
    }

    private async Task<IResult> CompleteAsync(string requestId, HttpContext context, bool isError)
    {
        if (!isError && TakeResponseFailure(out var status))
        {
            if (status is { } code)
            {
                return Results.StatusCode(code);
            }

            context.Abort();
            return Results.Empty;
        }

        if (!_inFlight.TryRemove(requestId, out var pending))
        {
            return Results.BadRequest(); // Lambda answers 400 for an unknown or already answered request id
        }

        var body = await ReadAsync(context).ConfigureAwait(false);
        Interlocked.Increment(ref _answers);
        pending.Outcome.TrySetResult(new InvocationOutcome(requestId, isError, body,
            isError ? context.Request.Headers["Lambda-Runtime-Function-Error-Type"].ToString() : null));
        return Results.Accepted();
    }

    private static async Task<byte[]> ReadAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer, context.RequestAborted).ConfigureAwait(false);
        return buffer.ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _app.StopAsync().ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
    }

    private sealed record Pending(string RequestId, ReadOnlyMemory<byte> Payload, DateTimeOffset Deadline, string? TraceId)
    {
        public TaskCompletionSource<InvocationOutcome> Outcome { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}

/// <summary>What the runtime answered to one invocation: its response, or its error (with the
/// <c>Lambda-Runtime-Function-Error-Type</c> header).</summary>
public sealed record InvocationOutcome(string RequestId, bool IsError, byte[] Body, string? ErrorType)
{
    public string BodyText => System.Text.Encoding.UTF8.GetString(Body);
}
