namespace PubSub.LambdaRuntime;

/// <summary>The custom runtime's loop: create the handler once (reporting an init error if that
/// fails), then fetch an invocation, handle it, post its response or error, and repeat. Kept apart
/// from any handler so that it can be tested against a fake Runtime API.</summary>
public sealed partial class LambdaBootstrap(
    RuntimeApiClient client,
    Func<ILambdaHandler> createHandler,
    ILogger<LambdaBootstrap> logger,
    TimeProvider? timeProvider = null)
{
    /// <summary>The X-Ray trace header of the current invocation, where the AWS SDKs look for it.</summary>
    public const string TraceIdVariable = "_X_AMZN_TRACE_ID";

    /// <summary>Handlers are cancelled this long before the deadline, so that the answer still gets out.</summary>
    public static readonly TimeSpan DeadlineMargin = TimeSpan.FromMilliseconds(500);

    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled or the Runtime API fails;
    /// returns the process exit code.</summary>
    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        ILambdaHandler handler;
        try
        {
            handler = createHandler();
        }
#pragma warning disable CA1031 // Any failure to start is reported to Lambda, whatever it is.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogInitFailed(e);
            await client.SendInitErrorAsync(LambdaError.From(e), cancellationToken).ConfigureAwait(false);
            return 1;
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            LambdaInvocation invocation;
            try
            {
                invocation = await client.GetNextInvocationAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e) when (e is HttpRequestException or RuntimeApiException)
            {
                // Without the Runtime API there is nothing to serve; Lambda replaces the environment.
                LogRuntimeApiFailed(e);
                return 2;
            }

            await InvokeAsync(handler, invocation, cancellationToken).ConfigureAwait(false);
        }

        return 0;
    }

    private async Task InvokeAsync(ILambdaHandler handler, LambdaInvocation invocation, CancellationToken cancellationToken)
    {
        Environment.SetEnvironmentVariable(TraceIdVariable, invocation.TraceId);
        using var scope = logger.BeginScope(new LambdaRequestScope(invocation.RequestId));
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var remaining = invocation.Deadline - _time.GetUtcNow() - DeadlineMargin;
        if (invocation.Deadline != DateTimeOffset.MaxValue)
        {
            deadline.CancelAfter(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);
        }

        ReadOnlyMemory<byte> response;
        try
        {
            response = await handler.HandleAsync(invocation, deadline.Token).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A handler's failure is the invocation's error, never the runtime's end.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogInvocationFailed(e, invocation.RequestId);
            await client.SendErrorAsync(invocation.RequestId, LambdaError.From(e), cancellationToken).ConfigureAwait(false);
            return;
        }

        if (!await client.SendResponseAsync(invocation.RequestId, response, cancellationToken).ConfigureAwait(false))
        {
            LogResponseRefused(invocation.RequestId, response.Length);
            await client.SendErrorAsync(invocation.RequestId,
                new LambdaError("ResponseRefused", $"The Runtime API refused a response of {response.Length} bytes.", []),
                cancellationToken).ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "The function could not start")]
    private partial void LogInitFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The Runtime API failed; the runtime stops")]
    private partial void LogRuntimeApiFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Invocation {RequestId} failed")]
    private partial void LogInvocationFailed(Exception exception, string requestId);

    [LoggerMessage(Level = LogLevel.Error, Message = "The Runtime API refused the {Bytes}-byte response of invocation {RequestId}")]
    private partial void LogResponseRefused(string requestId, int bytes);
}
