using System.Text.Json;

namespace PubSub.Benchmarks.Citylots;

/// <param name="File">The rule's pattern file, relative to the benchmark's folder.</param>
/// <param name="Matches">How many corpus events event-ruler 2.0.1 matches with it.</param>
internal sealed record CitylotsRule(string File, long Matches);

/// <param name="ReferenceEventsPerSec">event-ruler 2.0.1 on this kind of machine, all the kind's rules in one machine.</param>
internal sealed record CitylotsKind(string Name, IReadOnlyList<CitylotsRule> Rules, double ReferenceEventsPerSec);

/// <summary>The citylots benchmark (<c>eng/citylots</c>: its <c>manifest.json</c>, rule files and corpus generator; the
/// corpus itself is generated, never checked in).</summary>
internal sealed record CitylotsManifest(string Folder, IReadOnlyList<CitylotsKind> Kinds)
{
    public const string FolderVariable = "PUBSUB_CITYLOTS_DIR";

    public string GeneratorSource => Path.Combine(Folder, "GenCityLots2.java");

    public static CitylotsManifest Load(string folder)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(folder, "manifest.json")));
        var kinds = document.RootElement.GetProperty("kinds").EnumerateArray()
            .Select(kind => new CitylotsKind(
                kind.GetProperty("name").GetString()!,
                [.. kind.GetProperty("rules").EnumerateArray().Select(r => new CitylotsRule(r.GetProperty("file").GetString()!, r.GetProperty("matches").GetInt64()))],
                kind.GetProperty("referenceEventsPerSec").GetDouble()))
            .ToList();
        return new CitylotsManifest(folder, kinds);
    }

    /// <summary>The folder named by <see cref="FolderVariable"/>, else the repository's copy (<c>eng/citylots</c>).</summary>
    public static string Locate(string repositoryRoot) =>
        Environment.GetEnvironmentVariable(FolderVariable) is { Length: > 0 } named ? named : Path.Combine(repositoryRoot, "eng", "citylots");
}
