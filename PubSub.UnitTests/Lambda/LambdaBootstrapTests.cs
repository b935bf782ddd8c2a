using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using PubSub.Emulators;
using PubSub.LambdaRuntime;

namespace PubSub.UnitTests.Lambda;

/// <summary>The runtime loop and the Runtime API client against a Runtime API emulator over real HTTP.</summary>
public sealed class LambdaBootstrapTests : RuntimeApiEmulatorTests
{
    private Task<int> Run(Func<LambdaInvocation, CancellationToken, Task<ReadOnlyMemory<byte>>> handle) =>
        Run(() => new DelegateHandler(handle));

    private Task<int> Run(Func<ILambdaHandler> create) =>
        Task.Run(() => new LambdaBootstrap(Client, create, NullLogger<LambdaBootstrap>.Instance).RunAsync(Stop.Token));

    private static byte[] Bytes(string text) => Encoding.UTF8.GetBytes(text);

    [Fact]
    public async Task Each_invocation_is_answered_with_the_handlers_response_under_its_request_id()
    {
        var seen = new List<LambdaInvocation>();
        _ = Run((invocation, _) =>
        {
            seen.Add(invocation);
            return Task.FromResult<ReadOnlyMemory<byte>>(Bytes($$"""{"echo":{{Encoding.UTF8.GetString(invocation.Body.Span)}}}"""));
        });

        var first = await Api.InvokeAsync(Bytes("""{"n":1}"""));
        var second = await Api.InvokeAsync(Bytes("""{"n":2}"""));

        Assert.False(first.IsError);
        Assert.Equal("""{"echo":{"n":1}}""", first.BodyText);
        Assert.Equal("""{"echo":{"n":2}}""", second.BodyText);
        Assert.Equal([first.RequestId, second.RequestId], seen.Select(s => s.RequestId));
        Assert.Equal(LambdaRuntimeApiEmulator.FunctionArn, seen[0].InvokedFunctionArn);
        Assert.Equal("123456789012", seen[0].AccountId);
        Assert.InRange(seen[0].Deadline - DateTimeOffset.UtcNow, TimeSpan.FromSeconds(20), TimeSpan.FromSeconds(31));
    }

    [Fact]
    public async Task A_failing_handler_reports_an_error_and_the_next_invocation_is_still_served()
    {
        var calls = 0;
        _ = Run((_, _) => ++calls == 1
            ? throw new InvalidOperationException("boom")
            : Task.FromResult<ReadOnlyMemory<byte>>(Bytes("{}")));

        var failed = await Api.InvokeAsync(Bytes("{}"));
        var next = await Api.InvokeAsync(Bytes("{}"));

        Assert.True(failed.IsError);
        Assert.Equal("InvalidOperationException", failed.ErrorType);
        var error = JsonDocument.Parse(failed.Body).RootElement;
        Assert.Equal("InvalidOperationException", error.GetProperty("errorType").GetString());
        Assert.Equal("boom", error.GetProperty("errorMessage").GetString());
        Assert.NotEqual(0, error.GetProperty("stackTrace").GetArrayLength());
        Assert.False(next.IsError);
    }

    [Fact]
    public async Task A_handler_that_cannot_be_created_is_an_init_error_and_the_runtime_exits_with_1()
    {
        var run = Run(() => throw new ArgumentException("no such handler"));

        var error = await Api.InitError.WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal("ArgumentException", error.ErrorType);
        Assert.Contains("no such handler", error.BodyText, StringComparison.Ordinal);
        Assert.Equal(1, await run.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task The_trace_header_is_in_the_environment_while_the_handler_runs()
    {
        string? seen = null;
        _ = Run((_, _) =>
        {
            seen = Environment.GetEnvironmentVariable(LambdaBootstrap.TraceIdVariable);
            return Task.FromResult<ReadOnlyMemory<byte>>(Bytes("{}"));
        });

        await Api.InvokeAsync(Bytes("{}"), traceId: "Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1");

        Assert.Equal("Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1", seen);
    }

    [Fact]
    public async Task A_handler_is_cancelled_before_the_deadline_so_that_an_answer_still_gets_out()
    {
        _ = Run(async (_, cancellationToken) =>
        {
            await Task.Delay(TimeSpan.FromSeconds(30), cancellationToken);
            return Bytes("{}");
        });

        var outcome = await Api.InvokeAsync(Bytes("{}"), timeout: TimeSpan.FromSeconds(1.5)).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.True(outcome.IsError);
        Assert.Equal("TaskCanceledException", outcome.ErrorType);
    }

    [Fact]
    public async Task The_runtime_stops_with_2_when_the_Runtime_API_goes_away()
    {
        var run = Run((_, _) => Task.FromResult<ReadOnlyMemory<byte>>(Bytes("{}")));
        await Api.FirstNextRequested.WaitAsync(TimeSpan.FromSeconds(10));

        await Api.DisposeAsync();

        Assert.Equal(2, await run.WaitAsync(TimeSpan.FromSeconds(20)));
    }

    [Fact]
    public async Task Cancelling_the_runtime_ends_it_with_0()
    {
        var run = Run((_, _) => Task.FromResult<ReadOnlyMemory<byte>>(Bytes("{}")));
        await Api.FirstNextRequested.WaitAsync(TimeSpan.FromSeconds(10));

        await Stop.CancelAsync();

        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_response_that_cannot_be_posted_is_logged_and_the_next_invocation_is_served()
    {
        var run = Run((_, _) => Task.FromResult<ReadOnlyMemory<byte>>(Bytes("{}")));
        Api.FailNextResponse(); // the connection drops without an answer

        _ = Api.InvokeAsync(Bytes("""{"n":1}"""));
        var next = await Api.InvokeAsync(Bytes("""{"n":2}""")).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(next.IsError);
        Assert.False(run.IsCompleted);
    }

    [Fact]
    public async Task A_Runtime_API_in_a_non_recoverable_state_stops_the_runtime_with_2()
    {
        var run = Run((_, _) => Task.FromResult<ReadOnlyMemory<byte>>(Bytes("{}")));
        Api.FailNextResponse(status: 500);

        _ = Api.InvokeAsync(Bytes("{}"));

        Assert.Equal(2, await run.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task A_stop_during_an_invocation_lets_it_finish_and_post_its_response_then_ends_with_0()
    {
        var started = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var run = Run(async (_, cancellationToken) =>
        {
            started.SetResult();
            await release.Task.WaitAsync(cancellationToken);
            return Bytes("""{"done":true}""");
        });

        var outcome = Api.InvokeAsync(Bytes("{}"));
        await started.Task.WaitAsync(TimeSpan.FromSeconds(10));
        await Stop.CancelAsync(); // SIGTERM
        release.SetResult();

        var answered = await outcome.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.False(answered.IsError);
        Assert.Equal("""{"done":true}""", answered.BodyText);
        Assert.Equal(0, await run.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    private sealed class DelegateHandler(Func<LambdaInvocation, CancellationToken, Task<ReadOnlyMemory<byte>>> handle) : ILambdaHandler
    {
        public Task<ReadOnlyMemory<byte>> HandleAsync(LambdaInvocation invocation, CancellationToken cancellationToken) =>
            handle(invocation, cancellationToken);
    }
}
