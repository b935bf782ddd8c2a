using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PubSub.Aws;
using PubSub.Definition;
using PubSub.Provisioning;

// Creates the resources of the system definition in the configured AWS endpoint (the local
// emulators under the AppHost), then exits: 0 when everything exists, 1 otherwise.
var builder = Host.CreateApplicationBuilder(args);
builder.AddServiceDefaults();
builder.AddSystemDefinition();
builder.Services.AddAwsClients();
builder.Services.AddSingleton<LocalProvisioner>();

using var host = builder.Build();
var definition = host.Services.GetRequiredService<SystemDefinition>();
var provisioner = host.Services.GetRequiredService<LocalProvisioner>();
var logger = host.Services.GetRequiredService<ILoggerFactory>().CreateLogger("PubSub.Provisioner");
using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(2));
// Ten attempts whose waits double from 2 s to 10 s: 37 to 74 s in all for the emulators to warm up (a loaded
// CI machine needs them), inside the two minutes.
var warmUp = new Backoff(TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(10));

for (var attempt = 1; ; attempt++)
{
    try
    {
        await provisioner.ProvisionAsync(definition, timeout.Token);
        return 0;
    }
    catch (Exception e) when (AwsErrors.IsCallFailure(e, timeout.Token) && attempt < 10)
    {
        // The emulators may still be warming up.
        Log.AttemptFailed(logger, attempt, e.Message);
        await Task.Delay(warmUp.DelayBefore(attempt - 1), timeout.Token);
    }
    catch (Exception e) when (AwsErrors.IsCallFailure(e, timeout.Token) || e is InvalidOperationException)
    {
        Log.Failed(logger, e);
        return 1;
    }
}

internal static partial class Log
{
    [LoggerMessage(Level = LogLevel.Warning, Message = "Provisioning attempt {Attempt} failed: {Error}; retrying")]
    public static partial void AttemptFailed(ILogger logger, int attempt, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Provisioning failed")]
    public static partial void Failed(ILogger logger, Exception exception);
}
