using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using PubSub.StreamPublisher.Local;

namespace PubSub.IntegrationTests.StreamPublisher;

/// <summary>The stream publisher in process (its poller, core and SNS calls are the real ones), against
/// the emulators the process environment points at, with a given definition and checkpoint table.</summary>
/// <param name="configureServices">Replaces services (a fake in place of a real one), when given.</param>
internal sealed class StreamPublisherHostFactory(string definitionPath, string checkpointTable,
    Action<IServiceCollection>? configureServices = null)
    : WebApplicationFactory<StreamPollerOptions>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("PubSub:Definition", definitionPath);
        builder.UseSetting("StreamPoller:CheckpointTable", checkpointTable);
        if (configureServices is not null)
        {
            builder.ConfigureServices(configureServices);
        }
    }

    /// <summary>Builds and starts the host, and with it the poller.</summary>
    public void Start() => _ = Services;
}
