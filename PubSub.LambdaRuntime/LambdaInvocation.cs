namespace PubSub.LambdaRuntime;

/// <summary>One event to handle, as the Runtime API's <c>next</c> call hands it over.</summary>
/// <param name="RequestId">Lambda-Runtime-Aws-Request-Id: the id every answer must carry.</param>
/// <param name="Deadline">Lambda-Runtime-Deadline-Ms: when the function times out.</param>
/// <param name="InvokedFunctionArn">Lambda-Runtime-Invoked-Function-Arn (with version or alias).</param>
/// <param name="TraceId">Lambda-Runtime-Trace-Id: the X-Ray trace header, if tracing is on.</param>
/// <param name="Body">The event, as JSON bytes.</param>
public sealed record LambdaInvocation(
    string RequestId,
    DateTimeOffset Deadline,
    string? InvokedFunctionArn,
    string? TraceId,
    ReadOnlyMemory<byte> Body)
{
    /// <summary>The account id, read from the invoked function's ARN (arn:aws:lambda:region:account:function:name).</summary>
    public string? AccountId => InvokedFunctionArn?.Split(':') is { Length: > 4 } parts ? parts[4] : null;
}
