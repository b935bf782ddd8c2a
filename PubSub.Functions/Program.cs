using PubSub.Functions.Hosting;
using PubSub.LambdaRuntime;

// Lambda's custom runtime starts this executable (bootstrap) once per execution environment; it
// then serves invocations through the Runtime API until Lambda stops it with SIGTERM.
var settingsLevel = Enum.TryParse<LogLevel>(Environment.GetEnvironmentVariable(FunctionSettings.LogLevelVariable), true, out var level)
    ? level
    : LogLevel.Information;
using var loggers = new LambdaLoggerFactory(LambdaJsonLoggerProvider.ForStandardOutput(settingsLevel));

var runtimeApi = Environment.GetEnvironmentVariable(RuntimeApiClient.RuntimeApiVariable);
if (string.IsNullOrEmpty(runtimeApi))
{
    await Console.Error.WriteLineAsync($"{RuntimeApiClient.RuntimeApiVariable} is not set: bootstrap runs inside AWS Lambda (or against a Runtime API emulator).");
    return 64;
}

using var stopping = new CancellationTokenSource();
using var sigterm = System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM,
    context =>
    {
        context.Cancel = true;
        stopping.Cancel();
    });

using var client = new RuntimeApiClient(runtimeApi);
var bootstrap = new LambdaBootstrap(client,
    () => FunctionFactory.Create(Environment.GetEnvironmentVariable("_HANDLER"),
        FunctionSettings.FromEnvironment(Environment.GetEnvironmentVariable), loggers, TimeProvider.System),
    loggers.CreateLogger<LambdaBootstrap>());
return await bootstrap.RunAsync(stopping.Token);
