namespace PubSub.UnitTests.Aws;

/// <summary>Request bodies the official AWS SDK for JavaScript sent, captured on a loopback listener
/// (files under Wire/); the reference our marshalling must match byte for byte.</summary>
internal static class WireReference
{
    public static IReadOnlyList<string> Lines(string file) =>
        [.. File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Wire", file))
            .Where(line => line.Length > 0 && !line.StartsWith('#'))];
}
