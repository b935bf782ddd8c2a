using PubSub.Aws;
using PubSub.Definition;

namespace PubSub.Cli.Commands;

/// <summary>Runs a command body and turns every expected failure into one line on stderr and an exit code.</summary>
internal static class CommandRunner
{
    public static async Task<int> RunAsync(Func<CancellationToken, Task<int>> body, CancellationToken cancellationToken)
    {
        try
        {
            return await body(cancellationToken);
        }
        catch (CliException e)
        {
            return Fail(e.Message, e.ExitCode);
        }
        catch (SystemDefinitionException e)
        {
            return Fail(e.Message, ExitCodes.Usage);
        }
        catch (Aws.SimpleNotificationService.TopicNotFoundException e)
        {
            return Fail(e.Message, ExitCodes.Failure);
        }
        catch (Exception e) when (AwsErrors.IsMissingCredentials(e))
        {
            // Not an AWS call that failed: none was made. A configuration error, as a missing definition is.
            return Fail(NoCredentialsMessage, ExitCodes.Usage);
        }
        catch (Exception e) when (AwsErrors.IsCallFailure(e, cancellationToken))
        {
            var code = AwsErrors.CodeOf(e);
            var hint = code == "Unreachable" ? " Is the endpoint up? (the local stack: dotnet run --project PubSub.AppHost)" : "";
            return Fail($"AWS call failed ({code}): {e.Message}.{hint}", ExitCodes.Failure);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            return Fail("Cancelled.", ExitCodes.Failure);
        }
    }

    /// <summary>What a command says when the SDK finds no credentials.</summary>
    public const string NoCredentialsMessage = "no AWS credentials found: set AWS_PROFILE, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
        + " (the local emulators take any, e.g. test and test; --local sets them with the local endpoints).";

    private static int Fail(string message, int exitCode)
    {
        Console.Error.WriteLine($"pubsub: {message}");
        return exitCode;
    }
}
