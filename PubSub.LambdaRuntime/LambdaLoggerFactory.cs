namespace PubSub.LambdaRuntime;

/// <summary>A logger factory over one <see cref="LambdaJsonLoggerProvider"/>, without the generic
/// <c>LoggerFactory</c>: that one builds a service provider and reads provider attributes by
/// reflection, which cost about 4 ms of a Native AOT cold start (measured with perf).</summary>
public sealed class LambdaLoggerFactory(LambdaJsonLoggerProvider provider) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => provider.CreateLogger(categoryName);

    /// <summary>Not supported: this factory writes to its one provider only.</summary>
    public void AddProvider(ILoggerProvider provider) =>
        throw new NotSupportedException("LambdaLoggerFactory writes to its one JSON provider only.");

    public void Dispose() => provider.Dispose();
}
