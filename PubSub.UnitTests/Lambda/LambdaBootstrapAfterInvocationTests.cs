using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using PubSub.Emulators;
using PubSub.LambdaRuntime;

namespace PubSub.UnitTests.Lambda;

/// <summary>What the runtime does after an invocation (the host writes its metrics there): it runs once the
/// answer is posted, after a failure too, and what it throws does not stop the loop.</summary>
public sealed class LambdaBootstrapAfterInvocationTests : IAsyncLifetime, IDisposable
{
    private LambdaRuntimeApiEmulator _api = null!;
    private RuntimeApiClient _client = null!;
    private readonly CancellationTokenSource _stop = new();

    public async Task InitializeAsync()
    {
        _api = await LambdaRuntimeApiEmulator.StartAsync();
        _client = new RuntimeApiClient(_api.Address);
    }

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _api.DisposeAsync();
    }

    public void Dispose()
    {
        _client.Dispose();
        _stop.Dispose();
    }

    private void Run(Func<int, ReadOnlyMemory<byte>> handle, Action afterInvocation)
    {
        var calls = 0;
        _ = Task.Run(() => new LambdaBootstrap(_client, () => new Handler(() => handle(++calls)), NullLogger<LambdaBootstrap>.Instance,
            afterInvocation: afterInvocation).RunAsync(_stop.Token));
    }

    [Fact]
    public async Task It_runs_after_the_answer_is_posted_for_a_response_and_for_an_error()
    {
        Task<InvocationOutcome>? pending = null;
        var answeredBefore = new List<bool>();
        Run(call => call == 2 ? throw new InvalidOperationException("boom") : "{}"u8.ToArray(), () => answeredBefore.Add(pending!.IsCompleted));

        pending = _api.InvokeAsync("{}"u8.ToArray());
        var ok = await pending.WaitAsync(TimeSpan.FromSeconds(10));
        pending = _api.InvokeAsync("{}"u8.ToArray());
        var failed = await pending.WaitAsync(TimeSpan.FromSeconds(10));
        await _api.InvokeAsync("{}"u8.ToArray()).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(ok.IsError);
        Assert.True(failed.IsError);
        Assert.Equal([true, true], answeredBefore.Take(2));
    }

    [Fact]
    public async Task What_it_throws_is_logged_and_the_next_invocation_is_served()
    {
        Run(_ => Encoding.UTF8.GetBytes("{}"), () => throw new IOException("stdout is gone"));

        var first = await _api.InvokeAsync("{}"u8.ToArray()).WaitAsync(TimeSpan.FromSeconds(10));
        var second = await _api.InvokeAsync("{}"u8.ToArray()).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(first.IsError);
        Assert.False(second.IsError);
    }

    private sealed class Handler(Func<ReadOnlyMemory<byte>> handle) : ILambdaHandler
    {
        public Task<ReadOnlyMemory<byte>> HandleAsync(LambdaInvocation invocation, CancellationToken cancellationToken) => Task.FromResult(handle());
    }
}
