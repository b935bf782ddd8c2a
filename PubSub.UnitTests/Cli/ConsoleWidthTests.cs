using PubSub.Cli;
using Spectre.Console;

namespace PubSub.UnitTests.Cli;

/// <summary>A table written to a file or a pipe keeps each row on one line, so an ARN can be grepped and copied.</summary>
public sealed class ConsoleWidthTests
{
    private const string Arn = "arn:aws:sns:us-east-1:000000000000:pubsub-local-orders:0f6e8a3c-58d2-4c41-9a43-0d8f1e2b7c55";

    private static string Render(bool redirected)
    {
        using var writer = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(writer), Ansi = AnsiSupport.No });
        console.Profile.Width = 80; // what Spectre.Console assumes when the output is not a terminal
        ConsoleWidth.Apply(console, redirected);
        console.Write(new Table().AddColumns("Topic", "Endpoint", "Subscription ARN").AddRow("orders", Arn.Replace("sns", "sqs", StringComparison.Ordinal), Arn));
        return writer.ToString();
    }

    [Fact]
    public void Redirected_tables_do_not_wrap_cells() => Assert.Contains(Arn, Render(redirected: true), StringComparison.Ordinal);

    [Fact]
    public void On_a_terminal_the_terminal_s_width_stays() => Assert.DoesNotContain(Arn, Render(redirected: false), StringComparison.Ordinal);
}
