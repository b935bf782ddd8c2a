using System.Diagnostics;

namespace PubSub.Benchmarks.Citylots;

/// <summary>The citylots events (one GeoJSON feature per line, ~190 MB), held in memory as one block of
/// UTF-8 so that routing them measures matching, not I/O.</summary>
internal sealed class CitylotsCorpus
{
    private readonly byte[] _data;
    private readonly int[] _starts;
    private readonly int[] _lengths;

    private CitylotsCorpus(byte[] data, int[] starts, int[] lengths) => (_data, _starts, _lengths) = (data, starts, lengths);

    public int Count => _starts.Length;

    public long Bytes => _data.LongLength;

    public ReadOnlySpan<byte> this[int index] => _data.AsSpan(_starts[index], _lengths[index]);

    /// <summary>Where the corpus is cached outside the repository unless the caller names a file.</summary>
    public static string DefaultPath =>
        Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache", "pubsub", "citylots.jsonl");

    /// <summary>Writes the corpus with the benchmark's deterministic generator (Java 11+ runs the single source
    /// file) unless it is already there; written beside under a name of this process's own and renamed, so an interrupted
    /// run leaves no half file and two runs at once do not write over each other.</summary>
    public static async Task EnsureGeneratedAsync(string path, string generatorSource, CancellationToken cancellationToken)
    {
        if (File.Exists(path))
        {
            return;
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        // A name of this process's own: two runs generating at once (two test processes, two worktrees sharing the
        // cache) must not write one file; the last rename wins, and both wrote the same deterministic corpus.
        var partial = $"{path}.{Environment.ProcessId}.partial";
        var start = new ProcessStartInfo("java") { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add(generatorSource);
        start.ArgumentList.Add(partial);
        using var java = Process.Start(start) ?? throw new InvalidOperationException("java could not be started.");
        var output = java.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = java.StandardError.ReadToEndAsync(cancellationToken);
        await java.WaitForExitAsync(cancellationToken);
        if (java.ExitCode != 0)
        {
            throw new InvalidOperationException($"java {generatorSource} exited with {java.ExitCode}: {await error}{await output}");
        }

        File.Move(partial, path, overwrite: true);
    }

    public static async Task<CitylotsCorpus> LoadAsync(string path, CancellationToken cancellationToken)
    {
        var data = await File.ReadAllBytesAsync(path, cancellationToken);
        var starts = new List<int>(220_000);
        var lengths = new List<int>(220_000);
        var position = 0;
        while (position < data.Length)
        {
            var end = Array.IndexOf(data, (byte)'\n', position);
            end = end < 0 ? data.Length : end;
            if (end > position)
            {
                starts.Add(position);
                lengths.Add(end - position);
            }

            position = end + 1;
        }

        return new CitylotsCorpus(data, [.. starts], [.. lengths]);
    }
}
