using System.Text.Json;
using PubSub.Emulators;
using PubSub.IntegrationTests.Cli;

namespace PubSub.IntegrationTests.Benchmarks;

/// <summary>The whole citylots corpus (213,068 events) through every kind's rules, counted by the real benchmark
/// command (<c>PubSub.Benchmarks citylots --passes 0</c>, a process): each rule must match exactly as many events as
/// event-ruler 2.0.1 does according to the benchmark's manifest, which this test reads itself. A semantic regression
/// in any operator the benchmark uses (exact, prefix, suffix, wildcard, ignore case, anything-but, numeric, arrays)
/// changes some count.</summary>
public sealed class CitylotsCountsTests
{
    [CitylotsFact]
    public async Task Every_rule_of_every_kind_matches_as_many_events_as_event_ruler()
    {
        Assert.True(CitylotsFactAttribute.MissingPrerequisite() is null, CitylotsFactAttribute.MissingPrerequisite());
        var folder = CitylotsFolder.Locate();
        var result = await CliRunner.RunProgramAsync("dotnet", [BenchmarksDll(), "citylots", "--passes", "0", "--json", "--bench", folder],
            AppContext.BaseDirectory);
        Assert.True(result.ExitCode == 0, $"exit {result.ExitCode}: {result.Stderr}\n{result.Stdout}");

        using var manifest = JsonDocument.Parse(await File.ReadAllBytesAsync(Path.Combine(folder, "manifest.json")));
        using var report = JsonDocument.Parse(result.Stdout);
        Assert.Equal(213_068, report.RootElement.GetProperty("events").GetInt32());
        var counted = report.RootElement.GetProperty("kinds").EnumerateArray()
            .SelectMany(k => k.GetProperty("rules").EnumerateArray().Select(r => (Kind: k.GetProperty("name").GetString(),
                File: r.GetProperty("file").GetString(), Matches: r.GetProperty("matches").GetInt64())))
            .ToList();
        var expected = manifest.RootElement.GetProperty("kinds").EnumerateArray()
            .SelectMany(k => k.GetProperty("rules").EnumerateArray().Select(r => (Kind: k.GetProperty("name").GetString(),
                File: r.GetProperty("file").GetString(), Matches: r.GetProperty("matches").GetInt64())))
            .ToList();
        Assert.Equal(155, expected.Count); // 14 kinds of 5 rules, and the two combinations of 40 and 45
        Assert.Equal(expected, counted);
    }

    /// <summary>The benchmark of this test's own build configuration (the ProjectReference builds it with the test's):
    /// never a Release build left from an earlier `dotnet run -c Release`, whose DLL a later engine change alone does
    /// not rewrite.</summary>
    private static string BenchmarksDll()
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;
        var dll = Path.Combine(EmulatorInstallation.Locate().RepositoryRoot, "PubSub.Benchmarks", "bin", configuration, "net10.0", "PubSub.Benchmarks.dll");
        return File.Exists(dll) ? dll : throw new InvalidOperationException($"PubSub.Benchmarks is not built at {dll}.");
    }
}
