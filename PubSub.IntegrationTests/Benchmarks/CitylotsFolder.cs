using PubSub.Emulators;

namespace PubSub.IntegrationTests.Benchmarks;

/// <summary>The citylots benchmark's folder, as the benchmark command finds it: <c>PUBSUB_CITYLOTS_DIR</c>, else the
/// repository's copy (<c>eng/citylots</c>).</summary>
internal static class CitylotsFolder
{
    public static string Locate() =>
        Environment.GetEnvironmentVariable("PUBSUB_CITYLOTS_DIR") is { Length: > 0 } named
            ? named
            : Path.Combine(EmulatorInstallation.Locate().RepositoryRoot, "eng", "citylots");
}
