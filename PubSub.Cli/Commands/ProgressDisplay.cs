using Spectre.Console;

namespace PubSub.Cli.Commands;

/// <summary>Shows a long operation's progress: a Spectre.Console progress bar when a person watches a
/// terminal, one line per report on stderr when output is redirected, nothing with <c>--json</c>.</summary>
internal static class ProgressDisplay
{
    /// <param name="total">The expected count, or null when unknown (the bar then spins).</param>
    /// <param name="count">How far a report has come, in the unit of <paramref name="total"/>.</param>
    /// <param name="describe">A report as a short line ("read 10, replayed 9").</param>
    public static async Task<T> RunAsync<T>(bool quiet, string title, double? total, Func<T, double> count, Func<T, string> describe,
        Func<IProgress<T>?, Task<T>> run)
    {
        if (quiet)
        {
            return await run(null);
        }

        if (!AnsiConsole.Profile.Capabilities.Interactive || Console.IsOutputRedirected)
        {
            return await RunAsLinesAsync(Console.Error, describe, run);
        }

        return await AnsiConsole.Progress()
            .AutoClear(true)
            .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new SpinnerColumn())
            .StartAsync(async context =>
            {
                var task = context.AddTask(title, maxValue: total is > 0 ? total.Value : 1);
                task.IsIndeterminate = total is not > 0;
                var result = await run(new Callback<T>(r =>
                {
                    task.Value = Math.Min(count(r), task.MaxValue);
                    task.Description = $"{title}: {describe(r)}";
                }));
                task.Value = task.MaxValue;
                return result;
            });
    }

    /// <summary>One whole line per report: a log file or a pipe shows no carriage returns, so lines rewritten
    /// in place would run together.</summary>
    internal static Task<T> RunAsLinesAsync<T>(TextWriter writer, Func<T, string> describe, Func<IProgress<T>?, Task<T>> run) =>
        run(new Callback<T>(r => writer.WriteLine($"{describe(r)} ...")));

    /// <summary>Reports on the caller's thread, at once (<see cref="Progress{T}"/> posts to the thread pool and may
    /// report after the operation ended).</summary>
    private sealed class Callback<T>(Action<T> report) : IProgress<T>
    {
        public void Report(T value) => report(value);
    }
}
