namespace PubSub.LambdaRuntime;

/// <summary>The custom runtime's loop: create the handler once (reporting an init error if that
/// fails), then fetch an invocation, handle it, post its response or error, and repeat. A post that
/// fails is logged and the loop goes on; a stop (SIGTERM) lets the invocation in hand finish. Kept apart
/// from any handler so that it can be tested against a fake Runtime API.</summary>
/// <param name="afterInvocation">Runs after each invocation's answer (response or error) is posted, so that
/// it adds nothing to the caller's latency: the host writes the invocation's metrics there. What it throws
/// is logged.</param>
public sealed partial class LambdaBootstrap(
    RuntimeApiClient client,
    Func<ILambdaHandler> createHandler,
    ILogger<LambdaBootstrap> logger,
    TimeProvider? timeProvider = null,
    Action? afterInvocation = null)
{
    /// <summary>The X-Ray trace header of the current invocation, where the AWS SDKs look for it.</summary>
    public const string TraceIdVariable = "_X_AMZN_TRACE_ID";

    /// <summary>Handlers are cancelled this long before the deadline, so that the answer still gets out.</summary>
    public static readonly TimeSpan DeadlineMargin = TimeSpan.FromMilliseconds(500);

    private readonly TimeProvider _time = timeProvider ?? TimeProvider.System;

    /// <summary>How long posting an answer may take before it counts as failed.</summary>
    public static readonly TimeSpan PostTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Runs until <paramref name="cancellationToken"/> is cancelled (SIGTERM) or the Runtime API fails;
    /// returns the process exit code. A stop that arrives during an invocation lets it finish and post its
    /// answer first.</summary>
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

            if (!await InvokeAsync(handler, invocation).ConfigureAwait(false))
            {
                return 2;
            }
        }

        return 0;
    }

    /// <summary>Handles one invocation and posts its answer; false when the Runtime API answered that it is in
    /// a non-recoverable state. Not cancelled by a stop: only the invocation's deadline cancels the handler.</summary>
    private async Task<bool> InvokeAsync(ILambdaHandler handler, LambdaInvocation invocation)
    {
        Environment.SetEnvironmentVariable(TraceIdVariable, invocation.TraceId);
        using var scope = logger.BeginScope(new LambdaRequestScope(invocation.RequestId));
        using var deadline = new CancellationTokenSource();
        var remaining = invocation.Deadline - _time.GetUtcNow() - DeadlineMargin;
        if (invocation.Deadline != DateTimeOffset.MaxValue)
        {
            deadline.CancelAfter(remaining > TimeSpan.Zero ? remaining : TimeSpan.Zero);
        }

        ReadOnlyMemory<byte>? response = null;
        LambdaError? error = null;
        try
        {
            response = await handler.HandleAsync(invocation, deadline.Token).ConfigureAwait(false);
        }
#pragma warning disable CA1031 // A handler's failure is the invocation's error, never the runtime's end.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogInvocationFailed(e, invocation.RequestId);
            error = LambdaError.From(e);
        }

        var serving = await PostAsync(invocation.RequestId, response, error).ConfigureAwait(false);
        AfterInvocation(invocation.RequestId);
        return serving;
    }

    private void AfterInvocation(string requestId)
    {
        try
        {
            afterInvocation?.Invoke();
        }
#pragma warning disable CA1031 // Nothing done after the answer may stop the runtime.
        catch (Exception e)
#pragma warning restore CA1031
        {
            LogAfterInvocationFailed(e, requestId);
        }
    }

    /// <summary>Posts the response, or the error (also when the response was refused). A post that fails is
    /// logged and the loop goes on: if the Runtime API is gone, the next <c>next</c> call says so.</summary>
    private async Task<bool> PostAsync(string requestId, ReadOnlyMemory<byte>? response, LambdaError? error)
    {
        using var timeout = new CancellationTokenSource(PostTimeout);
        try
        {
            if (response is { } body)
            {
                if (await client.SendResponseAsync(requestId, body, timeout.Token).ConfigureAwait(false))
                {
                    return true;
                }

                LogResponseRefused(requestId, body.Length);
                error = new LambdaError("ResponseRefused", $"The Runtime API refused a response of {body.Length} bytes.", []);
            }

            await client.SendErrorAsync(requestId, error!, timeout.Token).ConfigureAwait(false);
            return true;
        }
        catch (RuntimeApiException e) when (e.IsFatal)
        {
            LogRuntimeApiFailed(e);
            return false;
        }
        catch (Exception e) when (e is HttpRequestException or RuntimeApiException or OperationCanceledException)
        {
            LogPostFailed(e, requestId);
            return true;
        }
    }

    [LoggerMessage(Level = LogLevel.Critical, Message = "The function could not start")]
    private partial void LogInitFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Critical, Message = "The Runtime API failed; the runtime stops")]
    private partial void LogRuntimeApiFailed(Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Invocation {RequestId} failed")]
    private partial void LogInvocationFailed(Exception exception, string requestId);

    [LoggerMessage(Level = LogLevel.Error, Message = "The answer to invocation {RequestId} could not be posted; going on to the next")]
    private partial void LogPostFailed(Exception exception, string requestId);

    [LoggerMessage(Level = LogLevel.Error, Message = "What runs after invocation {RequestId} failed; going on to the next")]
    private partial void LogAfterInvocationFailed(Exception exception, string requestId);

    [LoggerMessage(Level = LogLevel.Error, Message = "The Runtime API refused the {Bytes}-byte response of invocation {RequestId}")]
    private partial void LogResponseRefused(string requestId, int bytes);
}
