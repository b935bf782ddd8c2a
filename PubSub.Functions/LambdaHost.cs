using System.Runtime.InteropServices;
using PubSub.Functions.Metrics;
using PubSub.LambdaRuntime;

namespace PubSub.Functions;

/// <summary>Runs one function under Lambda's custom runtime: JSON logs on stdout, the settings from the
/// environment, the handler created once (an init error if that fails), then the Runtime API loop until
/// Lambda stops the environment with SIGTERM. Each invocation's metrics follow its answer on stdout, in
/// CloudWatch's embedded metric format.</summary>
public static class LambdaHost
{
    /// <summary>Builds a function's handler from its settings.</summary>
    public delegate ILambdaHandler HandlerFactory(FunctionSettings settings, ILoggerFactory loggers, TimeProvider time);

    /// <param name="handler">The name this executable serves; the Lambda function's <c>Handler</c> must be it,
    /// so that a zip deployed to the wrong function fails at init rather than misbehaving.</param>
    public static async Task<int> RunAsync(string handler, HandlerFactory create)
    {
        var stdout = LambdaJsonLoggerProvider.ForStandardOutput(FunctionSettings.LogLevelFrom(Environment.GetEnvironmentVariable));
        using var loggers = new LambdaLoggerFactory(stdout);

        // Listening before the handler exists: the cores create their instruments with it.
        using var metrics = new EmbeddedMetricsListener(LambdaMeterFactory.Instance, EmbeddedMetricsListener.NamespaceFrom(Environment.GetEnvironmentVariable),
            stdout.WriteLine, TimeProvider.System, loggers.CreateLogger<EmbeddedMetricsListener>());

        var runtimeApi = Environment.GetEnvironmentVariable(RuntimeApiClient.RuntimeApiVariable);
        if (string.IsNullOrEmpty(runtimeApi))
        {
            await Console.Error.WriteLineAsync(
                $"{RuntimeApiClient.RuntimeApiVariable} is not set: this is the '{handler}' function's bootstrap for AWS Lambda (or a Runtime API emulator).");
            return 64;
        }

        using var stopping = new CancellationTokenSource();
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stopping.Cancel();
        });

        using var client = new RuntimeApiClient(runtimeApi);
        var bootstrap = new LambdaBootstrap(client, () =>
        {
            var configuredHandler = Environment.GetEnvironmentVariable("_HANDLER");
            if (!string.IsNullOrEmpty(configuredHandler) && configuredHandler != handler)
            {
                throw new ArgumentException(
                    $"This bootstrap is the '{handler}' function; the Lambda function's Handler is '{configuredHandler}'. Deploy the matching zip.");
            }

            return new DeadlineHandler(create(FunctionSettings.FromEnvironment(Environment.GetEnvironmentVariable), loggers, TimeProvider.System));
        }, loggers.CreateLogger<LambdaBootstrap>(), afterInvocation: metrics.Flush);
        return await bootstrap.RunAsync(stopping.Token);
    }
}
