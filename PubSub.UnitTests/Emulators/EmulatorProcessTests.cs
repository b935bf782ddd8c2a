using PubSub.Emulators;

namespace PubSub.UnitTests.Emulators;

public sealed class EmulatorProcessTests
{
    [Fact]
    public async Task A_probe_attempt_that_runs_out_of_its_own_time_is_asked_again()
    {
        await using var process = EmulatorProcess.Start(new EmulatorCommand(
            "sleeper", "/bin/sleep", ["30"], new Dictionary<string, string>(), Path.GetTempPath()));
        var attempts = 0;

        await process.WaitUntilReadyAsync(async attempt =>
        {
            if (++attempts == 1)
            {
                // A busy emulator: the first answer comes after the attempt's own time limit.
                await Task.Delay(Timeout.Infinite, attempt);
            }

            return true;
        }, TimeSpan.FromSeconds(20), CancellationToken.None);

        Assert.Equal(2, attempts);
    }
}
