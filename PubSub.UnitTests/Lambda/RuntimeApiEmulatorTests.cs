using PubSub.Emulators;
using PubSub.LambdaRuntime;

namespace PubSub.UnitTests.Lambda;

/// <summary>A Runtime API emulator over real HTTP and a client of it, per test, for tests of the runtime loop.</summary>
public abstract class RuntimeApiEmulatorTests : IAsyncLifetime, IDisposable
{
    protected LambdaRuntimeApiEmulator Api { get; private set; } = null!;

    protected RuntimeApiClient Client { get; private set; } = null!;

    /// <summary>Cancelled at the end of the test: stops the loop the test started.</summary>
    protected CancellationTokenSource Stop { get; } = new();

    public async Task InitializeAsync()
    {
        Api = await LambdaRuntimeApiEmulator.StartAsync();
        Client = new RuntimeApiClient(Api.Address);
    }

    public async Task DisposeAsync()
    {
        await Stop.CancelAsync();
        await Api.DisposeAsync();
    }

    public void Dispose()
    {
        Client.Dispose();
        Stop.Dispose();
        GC.SuppressFinalize(this);
    }
}
