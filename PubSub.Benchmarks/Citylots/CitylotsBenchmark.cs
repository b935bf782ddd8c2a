using System.Globalization;
using System.Text.Json;
using PubSub.Benchmarks.Load;
using PubSub.Emulators;

namespace PubSub.Benchmarks.Citylots;

/// <summary><c>citylots</c>: our pattern engine on event-ruler's citylots benchmark, kind by kind: events/s beside the
/// manifest's event-ruler reference, and each rule's match count against event-ruler's. Exits 1 when a count differs,
/// 2 when the benchmark's files cannot be found.
/// Options: <c>--kinds K1,K2</c>, <c>--passes N</c> (timed, default 3; 0 only counts), <c>--corpus FILE</c>, <c>--json</c>.</summary>
internal static class CitylotsBenchmark
{
    public static async Task<int> RunAsync(string[] args, CancellationToken cancellationToken)
    {
        var folder = TextOption(args, "--bench") ?? CitylotsManifest.Locate(EmulatorInstallation.Locate().RepositoryRoot);
        if (!File.Exists(Path.Combine(folder, "manifest.json")))
        {
            await Console.Error.WriteLineAsync($"No citylots benchmark (manifest.json) in {folder}; set {CitylotsManifest.FolderVariable} or pass --bench DIR.");
            return 2;
        }

        var manifest = CitylotsManifest.Load(folder);
        var picked = TextOption(args, "--kinds")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        var unknown = picked?.Where(k => manifest.Kinds.All(m => m.Name != k)).ToList();
        if (unknown is { Count: > 0 })
        {
            await Console.Error.WriteLineAsync($"Unknown kinds: {string.Join(", ", unknown)} (the manifest has {string.Join(", ", manifest.Kinds.Select(k => k.Name))}).");
            return 2;
        }

        var kinds = manifest.Kinds.Where(k => picked is null || picked.Contains(k.Name)).ToList();
        var passes = LoadMath.Option(args, "--passes", 3);
        var path = TextOption(args, "--corpus") ?? CitylotsCorpus.DefaultPath;
        await CitylotsCorpus.EnsureGeneratedAsync(path, manifest.GeneratorSource, cancellationToken);
        var corpus = await CitylotsCorpus.LoadAsync(path, cancellationToken);

        var results = new List<CitylotsKindResult>();
        foreach (var kind in kinds)
        {
            cancellationToken.ThrowIfCancellationRequested();
            results.Add(CitylotsKindRun.Run(manifest, kind, corpus, passes));
        }

        var conditions = $"{Environment.ProcessorCount} CPUs, load average {LoadEnvironment.LoadAverage()}, .NET {Environment.Version}";
        if (args.Contains("--json"))
        {
            WriteJson(path, corpus, passes, conditions, results);
        }
        else
        {
            WriteTable(path, corpus, passes, conditions, results);
        }

        return results.All(r => r.CountsEqual) ? 0 : 1;
    }

    private static void WriteTable(string path, CitylotsCorpus corpus, int passes, string conditions, List<CitylotsKindResult> results)
    {
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c, $"citylots: {corpus.Count:N0} events ({corpus.Bytes / 1e6:0.0} MB) from {path}; best of {passes} timed passes; {conditions}"));
        Console.WriteLine(string.Create(c, $"{"kind",-26} {"events/s",11} {"reference",11} {"ratio",7}  {"counts",-6} {"events/CPU-s",12}"));
        foreach (var r in results)
        {
            Console.WriteLine(string.Create(c,
                $"{r.Kind.Name,-26} {r.EventsPerSec,11:N0} {r.Kind.ReferenceEventsPerSec,11:N0} {r.Ratio,6:0.00}x  {(r.CountsEqual ? "equal" : "DIFFER"),-6} {r.EventsPerCpuSecond,12:N0}"));
        }

        foreach (var r in results)
        {
            foreach (var (rule, actual) in r.Mismatches)
            {
                Console.WriteLine(string.Create(c, $"count differs: {r.Kind.Name} {rule.File}: {actual:N0} matched, the manifest says {rule.Matches:N0}"));
            }
        }
    }

    private static void WriteJson(string path, CitylotsCorpus corpus, int passes, string conditions, List<CitylotsKindResult> results)
    {
        using var stream = Console.OpenStandardOutput();
        using var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        json.WriteStartObject();
        json.WriteString("corpus", path);
        json.WriteNumber("events", corpus.Count);
        json.WriteNumber("timedPasses", passes);
        json.WriteString("conditions", conditions);
        json.WriteStartArray("kinds");
        foreach (var r in results)
        {
            json.WriteStartObject();
            json.WriteString("name", r.Kind.Name);
            json.WriteNumber("eventsPerSec", Math.Round(r.EventsPerSec));
            json.WriteNumber("referenceEventsPerSec", r.Kind.ReferenceEventsPerSec);
            json.WriteNumber("ratio", Math.Round(r.Ratio, 2));
            json.WriteNumber("eventsPerCpuSecond", Math.Round(r.EventsPerCpuSecond));
            json.WriteBoolean("countsEqual", r.CountsEqual);
            json.WriteStartArray("rules");
            for (var i = 0; i < r.Kind.Rules.Count; i++)
            {
                json.WriteStartObject();
                json.WriteString("file", r.Kind.Rules[i].File);
                json.WriteNumber("matches", r.Counts[i]);
                json.WriteNumber("expected", r.Kind.Rules[i].Matches);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        json.Flush();
        stream.WriteByte((byte)'\n');
    }

    private static string? TextOption(string[] args, string name)
    {
        var index = Array.IndexOf(args, name);
        return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
    }
}
