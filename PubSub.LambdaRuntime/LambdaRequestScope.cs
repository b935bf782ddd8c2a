namespace PubSub.LambdaRuntime;

/// <summary>The logging scope of one invocation: puts its request id on every line written meanwhile.</summary>
public sealed record LambdaRequestScope(string RequestId)
{
    public override string ToString() => $"RequestId:{RequestId}";
}
