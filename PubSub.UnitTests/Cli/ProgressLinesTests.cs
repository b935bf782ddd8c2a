using PubSub.Cli.Commands;
using PubSub.Operations;

namespace PubSub.UnitTests.Cli;

/// <summary>What the replays' progress says while they run, and how it reads in a log file.</summary>
public sealed class ProgressLinesTests
{
    [Fact]
    public void A_dry_run_of_events_replay_says_would_publish()
    {
        Assert.Equal("scanned 5, would publish 3, failed 0", EventsCommand.Describe(new EventReplayReport(5, 3, 3, 0, DryRun: true, false, false, [])));
        Assert.Equal("scanned 5, published 3, failed 0", EventsCommand.Describe(new EventReplayReport(5, 3, 3, 0, DryRun: false, false, false, [])));
    }

    [Fact]
    public void A_dry_run_of_dlq_replay_says_would_replay()
    {
        Assert.Equal("read 2, would replay 2, failed 0", DlqCommand.Describe(new ReplayReport(2, 2, 0, 0, 0, DryRun: true, [])));
        Assert.Equal("read 2, replayed 2, failed 0", DlqCommand.Describe(new ReplayReport(2, 2, 0, 0, 0, DryRun: false, [])));
    }

    [Fact]
    public async Task Redirected_progress_is_one_whole_line_per_report()
    {
        using var writer = new StringWriter { NewLine = "\n" };

        var result = await ProgressDisplay.RunAsLinesAsync<int>(writer, n => $"read {n}", progress =>
        {
            progress!.Report(1);
            progress.Report(2);
            return Task.FromResult(2);
        });

        Assert.Equal(2, result);
        Assert.Equal("read 1 ...\nread 2 ...\n", writer.ToString());
    }

    [Fact]
    public void A_finished_replay_that_published_says_that_running_it_again_publishes_again()
    {
        Assert.Contains("not idempotent", EventsCommand.FinishedNote(new EventReplayReport(5, 3, 3, 0, false, false, Finished: true, []))!,
            StringComparison.Ordinal);
        Assert.Null(EventsCommand.FinishedNote(new EventReplayReport(5, 3, 3, 0, DryRun: true, false, Finished: true, [])));
        Assert.Null(EventsCommand.FinishedNote(new EventReplayReport(5, 0, 0, 0, false, false, Finished: true, [])));
    }
}
