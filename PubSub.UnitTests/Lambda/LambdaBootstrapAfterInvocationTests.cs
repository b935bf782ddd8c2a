using System.Text;
using Microsoft.Extensions.Logging.Abstractions;
using PubSub.LambdaRuntime;

namespace PubSub.UnitTests.Lambda;

/// <summary>What the runtime does after an invocation (the host writes its metrics there): it runs once the
/// answer is posted, after a failure too, and what it throws does not stop the loop.</summary>
public sealed class LambdaBootstrapAfterInvocationTests : RuntimeApiEmulatorTests
{
    private void Run(Func<int, ReadOnlyMemory<byte>> handle, Action afterInvocation)
    {
        var calls = 0;
        _ = Task.Run(() => new LambdaBootstrap(Client, () => new Handler(() => handle(++calls)), NullLogger<LambdaBootstrap>.Instance,
            afterInvocation: afterInvocation).RunAsync(Stop.Token));
    }

    [Fact]
    public async Task It_runs_after_the_answer_is_posted_for_a_response_and_for_an_error()
    {
        var answersSeen = new List<int>();
        Run(call => call == 2 ? throw new InvalidOperationException("boom") : "{}"u8.ToArray(), () => answersSeen.Add(Api.Answers));

        var ok = await Api.InvokeAsync("{}"u8.ToArray()).WaitAsync(TimeSpan.FromSeconds(10));
        var failed = await Api.InvokeAsync("{}"u8.ToArray()).WaitAsync(TimeSpan.FromSeconds(10));
        await Api.InvokeAsync("{}"u8.ToArray()).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(ok.IsError);
        Assert.True(failed.IsError);
        // When it ran after the first and the second invocation, the emulator had taken the first and the second answer.
        Assert.Equal([1, 2], answersSeen.Take(2));
    }

    [Fact]
    public async Task What_it_throws_is_logged_and_the_next_invocation_is_served()
    {
        Run(_ => Encoding.UTF8.GetBytes("{}"), () => throw new IOException("stdout is gone"));

        var first = await Api.InvokeAsync("{}"u8.ToArray()).WaitAsync(TimeSpan.FromSeconds(10));
        var second = await Api.InvokeAsync("{}"u8.ToArray()).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.False(first.IsError);
        Assert.False(second.IsError);
    }

    private sealed class Handler(Func<ReadOnlyMemory<byte>> handle) : ILambdaHandler
    {
        public Task<ReadOnlyMemory<byte>> HandleAsync(LambdaInvocation invocation, CancellationToken cancellationToken) => Task.FromResult(handle());
    }
}
