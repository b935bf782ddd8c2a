using PubSub.Emulators;

namespace PubSub.IntegrationTests.Benchmarks;

/// <summary>The shared citylots benchmark's folder, found as the benchmark command finds it.</summary>
internal static class CitylotsFolder
{
    public static string? Locate()
    {
        if (Environment.GetEnvironmentVariable("PUBSUB_CITYLOTS_DIR") is { Length: > 0 } named)
        {
            return named;
        }

        for (var directory = new DirectoryInfo(EmulatorInstallation.Locate().RepositoryRoot); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, "shared", "bench", "citylots");
            if (File.Exists(Path.Combine(candidate, "manifest.json")))
            {
                return candidate;
            }
        }

        return null;
    }
}
