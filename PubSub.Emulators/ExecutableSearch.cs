namespace PubSub.Emulators;

/// <summary>Finds a program the way a shell does: the first folder of PATH that holds it.</summary>
public static class ExecutableSearch
{
    /// <returns>The program's full path, or null when no folder of PATH holds it.</returns>
    public static string? OnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "")
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(folder => Path.Combine(folder, name))
            .FirstOrDefault(File.Exists);
}
