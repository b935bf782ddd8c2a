namespace PubSub.Cli.Commands;

internal static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The command ran and failed (an AWS call, a resource).</summary>
    public const int Failure = 1;

    /// <summary>The command could not run: bad arguments, a missing or invalid definition.</summary>
    public const int Usage = 2;
}

/// <summary>A failure a person can act on: printed as one line, never as a stack trace.</summary>
internal sealed class CliException(string message, int exitCode = ExitCodes.Failure) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}
