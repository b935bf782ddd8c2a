using Spectre.Console;

namespace PubSub.Cli;

/// <summary>The width tables are laid out in. On a terminal, the terminal's; redirected, Spectre.Console assumes 80
/// columns and wraps cells, which breaks ARNs and policies in two for grep and scripts: there, no limit.</summary>
internal static class ConsoleWidth
{
    /// <summary>Wide enough for any row; tables are not expanded, so nothing is padded to it.</summary>
    public const int Redirected = 10_000;

    public static void Apply(IAnsiConsole console, bool outputRedirected)
    {
        if (outputRedirected)
        {
            console.Profile.Width = Redirected;
        }
    }
}
