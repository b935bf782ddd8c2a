using System.Diagnostics;
using System.Text.Json;
using PubSub.Routing;

namespace PubSub.Benchmarks.Citylots;

/// <param name="Counts">Per rule, the events it matched (in the manifest's order).</param>
/// <param name="EventsPerSec">The best timed pass; 0 when no pass was timed.</param>
/// <param name="EventsPerCpuSecond">The best timed pass over the process's CPU time instead of the clock's: on a
/// machine shared with other work, what the engine does when it runs rather than how often it is let run.</param>
internal sealed record CitylotsKindResult(CitylotsKind Kind, long[] Counts, double EventsPerSec, double EventsPerCpuSecond)
{
    public double Ratio => EventsPerSec / Kind.ReferenceEventsPerSec;

    public IEnumerable<(CitylotsRule Rule, long Actual)> Mismatches =>
        Kind.Rules.Select((rule, i) => (rule, Counts[i])).Where(r => r.Item2 != r.rule.Matches);

    public bool CountsEqual => !Mismatches.Any();
}

/// <summary>One kind of the benchmark, as event-ruler's benchmark runs it: all the kind's rules compiled together
/// into one pattern set, every event routed once per pass from its UTF-8 bytes (reading the JSON is part of the
/// work), one untimed pass that counts each rule's matches (and warms the JIT), then the best of the timed passes.</summary>
internal static class CitylotsKindRun
{
    public static CitylotsKindResult Run(CitylotsManifest manifest, CitylotsKind kind, CitylotsCorpus corpus, int timedPasses)
    {
        var patterns = kind.Rules.Select(r => Parse(Path.Combine(manifest.Folder, r.File))).ToList();
        var set = new EventPatternSet(patterns, i => kind.Rules[i].File);
        var counts = new long[set.Count];
        var matched = new bool[set.Count];
        for (var e = 0; e < corpus.Count; e++)
        {
            if (set.Match(corpus[e], matched) == 0)
            {
                continue;
            }

            for (var r = 0; r < matched.Length; r++)
            {
                counts[r] += matched[r] ? 1 : 0;
            }
        }

        var (best, bestCpu) = (0.0, 0.0);
        using var process = Process.GetCurrentProcess();
        for (var pass = 0; pass < timedPasses; pass++)
        {
            process.Refresh();
            var cpu = process.TotalProcessorTime;
            var started = Stopwatch.GetTimestamp();
            for (var e = 0; e < corpus.Count; e++)
            {
                set.Match(corpus[e], matched);
            }

            var elapsed = Stopwatch.GetElapsedTime(started);
            process.Refresh();
            best = Math.Max(best, corpus.Count / elapsed.TotalSeconds);
            bestCpu = Math.Max(bestCpu, corpus.Count / (process.TotalProcessorTime - cpu).TotalSeconds);
        }

        return new CitylotsKindResult(kind, counts, best, bestCpu);
    }

    private static JsonElement Parse(string file)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(file));
        return document.RootElement.Clone();
    }
}
