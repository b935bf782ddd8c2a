using System.Globalization;

namespace PubSub.Emulators;

/// <summary>How to run one emulator on a port: the same command serves the test fixture and the
/// AppHost's executable resources.</summary>
public sealed record EmulatorCommand(
    string Name,
    string FileName,
    IReadOnlyList<string> Arguments,
    IReadOnlyDictionary<string, string> Environment,
    string WorkingDirectory)
{
    public const string DynamoDbName = "dynamodb-local";
    public const string MessagingName = "fauxqs";

    /// <summary>DynamoDB Local, one shared database for every region and key: in memory, or in
    /// <paramref name="dataDirectory"/> so that it survives a restart (for fault tests).</summary>
    public static EmulatorCommand DynamoDbLocal(EmulatorInstallation installation, int port, string? dataDirectory = null) => new(
        DynamoDbName,
        installation.JavaExecutable,
        [.. DynamoDbLocalArguments(installation, dataDirectory), "-port", port.ToString(CultureInfo.InvariantCulture)],
        new Dictionary<string, string>(),
        installation.DynamoDbLocalDirectory);

    /// <summary>Every argument but the port (<c>-port N</c> goes last).</summary>
    public static IReadOnlyList<string> DynamoDbLocalArguments(EmulatorInstallation installation, string? dataDirectory = null) =>
    [
        .. JavaOptions(),
        "-Djava.library.path=" + installation.DynamoDbLocalNativeLibraries,
        "-jar", installation.DynamoDbLocalJar,
        .. (dataDirectory is null ? (string[])["-inMemory"] : ["-dbPath", dataDirectory]),
        "-sharedDb", "-disableTelemetry",
    ];

    /// <summary>JVM options for DynamoDB Local from <c>PUBSUB_DYNAMODB_JAVA_OPTIONS</c> (space-separated).</summary>
    public static IReadOnlyList<string> JavaOptions() =>
        System.Environment.GetEnvironmentVariable("PUBSUB_DYNAMODB_JAVA_OPTIONS")?.Split(' ', StringSplitOptions.RemoveEmptyEntries) ?? [];

    /// <summary>fauxqs: SNS, SQS and S3 on one port, in memory, without per-request logging.</summary>
    public static EmulatorCommand Fauxqs(EmulatorInstallation installation, int port, string region) => new(
        MessagingName,
        installation.NodeExecutable,
        ["--no-warnings", installation.FauxqsEntryPoint],
        FauxqsEnvironment(port.ToString(CultureInfo.InvariantCulture), region),
        installation.RepositoryRoot);

    public static IReadOnlyDictionary<string, string> FauxqsEnvironment(string port, string region) =>
        new Dictionary<string, string>
        {
            ["FAUXQS_PORT"] = port,
            ["FAUXQS_LOGGER"] = "false",
            ["FAUXQS_DEFAULT_REGION"] = region,
        };
}
