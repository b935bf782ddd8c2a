namespace PubSub.Cli.Commands;

/// <summary>Reads a file named on the command line: one that cannot be read is a usage error, told in one line.</summary>
internal static class InputFiles
{
    public static Task<string> ReadTextAsync(FileInfo file, CancellationToken ct) =>
        ReadAsync(file, () => File.ReadAllTextAsync(file.FullName, ct));

    public static Task<byte[]> ReadBytesAsync(FileInfo file, CancellationToken ct) =>
        ReadAsync(file, () => File.ReadAllBytesAsync(file.FullName, ct));

    private static async Task<T> ReadAsync<T>(FileInfo file, Func<Task<T>> read)
    {
        try
        {
            return await read();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new CliException($"Cannot read {file.FullName}: {e.Message}", ExitCodes.Usage);
        }
    }
}
