using PubSub.Aws;
using PubSub.LambdaRuntime;

namespace PubSub.Functions;

/// <summary>Makes the invocation's deadline (from the Runtime API), less <see cref="AwsTimeouts.AnswerReserve"/>,
/// the <see cref="CallDeadline"/> of everything the handler does, so that each AWS call is sized by the time
/// left and the dead-letter fallbacks run before Lambda stops the function.</summary>
public sealed class DeadlineHandler(ILambdaHandler inner) : ILambdaHandler
{
    public async Task<ReadOnlyMemory<byte>> HandleAsync(LambdaInvocation invocation, CancellationToken cancellationToken)
    {
        if (invocation.Deadline == DateTimeOffset.MaxValue)
        {
            return await inner.HandleAsync(invocation, cancellationToken);
        }

        using var deadline = CallDeadline.Until(invocation.Deadline - AwsTimeouts.AnswerReserve);
        return await inner.HandleAsync(invocation, cancellationToken);
    }
}
