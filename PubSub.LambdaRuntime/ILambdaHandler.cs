namespace PubSub.LambdaRuntime;

/// <summary>Handles one invocation and returns the response JSON. Throwing reports an error to
/// Lambda (which retries or fails the invocation as its source dictates).</summary>
public interface ILambdaHandler
{
    /// <param name="cancellationToken">Cancelled shortly before the invocation's deadline.</param>
    Task<ReadOnlyMemory<byte>> HandleAsync(LambdaInvocation invocation, CancellationToken cancellationToken);
}
