using System.CommandLine;
using PubSub.Definition;

namespace PubSub.Cli.Commands;

/// <summary>Options every command that touches AWS or the system definition shares.</summary>
internal static class CommonOptions
{
    /// <summary>The local stack's default endpoints (the AppHost's emulators or LocalStack).</summary>
    public static readonly IReadOnlyDictionary<string, string> LocalEnvironment = new Dictionary<string, string>
    {
        ["AWS_REGION"] = "us-east-1",
        ["AWS_ACCESS_KEY_ID"] = "test",
        ["AWS_SECRET_ACCESS_KEY"] = "test",
        ["AWS_EC2_METADATA_DISABLED"] = "true",
        ["AWS_ENDPOINT_URL_DYNAMODB"] = "http://localhost:8000",
        ["AWS_ENDPOINT_URL_DYNAMODB_STREAMS"] = "http://localhost:8000",
        ["AWS_ENDPOINT_URL_SNS"] = "http://localhost:4566",
        ["AWS_ENDPOINT_URL_SQS"] = "http://localhost:4566",
        ["AWS_ENDPOINT_URL_S3"] = "http://localhost:4566",
    };

    public static Option<FileInfo?> Definition() => new("--definition", "-d")
    {
        Description = $"The system definition file (default: {SystemDefinitionLoader.DefaultFileName} in this directory or a parent).",
    };

    public static Option<bool> Local() => new("--local")
    {
        Description = "Use the local stack's default endpoints (DynamoDB on :8000; SNS, SQS and S3 on :4566).",
    };

    public static Option<bool> Json() => new("--json") { Description = "Print the result as JSON, for scripts." };

    /// <summary>Loads the definition named on the command line or found from the current directory.</summary>
    public static SystemDefinition LoadDefinition(FileInfo? file) => SystemDefinitionLoader.Load(DefinitionPath(file));

    /// <summary>The definition file named on the command line or found from the current directory.</summary>
    public static string DefinitionPath(FileInfo? file) =>
        file?.FullName
        ?? SystemDefinitionLoader.Find(Directory.GetCurrentDirectory())
        ?? throw new CliException($"No {SystemDefinitionLoader.DefaultFileName} here or in a parent directory; pass --definition FILE.", ExitCodes.Usage);

    /// <summary>Points the AWS SDK at the local stack (when <paramref name="local"/>, the <c>--local</c> option),
    /// leaving any endpoint the user set alone.</summary>
    public static void UseLocalStack(bool local = true)
    {
        if (!local)
        {
            return;
        }

        foreach (var (name, value) in LocalEnvironment)
        {
            if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name)))
            {
                Environment.SetEnvironmentVariable(name, value);
            }
        }
    }
}
