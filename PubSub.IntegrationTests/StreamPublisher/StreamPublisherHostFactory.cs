using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using PubSub.StreamPublisher.Local;

namespace PubSub.IntegrationTests.StreamPublisher;

/// <summary>The stream publisher in process (its poller, core and SNS calls are the real ones), against
/// the emulators the process environment points at, with a given definition and checkpoint table.</summary>
internal sealed class StreamPublisherHostFactory(string definitionPath, string checkpointTable)
    : WebApplicationFactory<StreamPollerOptions>
{
    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("PubSub:Definition", definitionPath);
        builder.UseSetting("StreamPoller:CheckpointTable", checkpointTable);
    }

    /// <summary>Builds and starts the host, and with it the poller.</summary>
    public void Start() => _ = Services;
}
