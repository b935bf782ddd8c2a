using PubSub.Emulators;

namespace PubSub.IntegrationTests.Functions;

/// <summary>The x86_64 deployment zips, built by eng/package-lambda.sh when missing or stale and unpacked once per
/// test run, by function: the task roots the tests run each <c>bootstrap</c> from.</summary>
internal static class UnpackedZips
{
    private static readonly SemaphoreSlim Unpacking = new(1, 1);
    private static Dictionary<string, string>? _taskRoots;

    public static async Task<IReadOnlyDictionary<string, string>> TaskRootsAsync()
    {
        await Unpacking.WaitAsync();
        try
        {
            if (_taskRoots is null)
            {
                var folder = await LambdaPackage.BuildAsync(EmulatorInstallation.Locate().RepositoryRoot);
                _taskRoots = LambdaPackage.Functions.ToDictionary(f => f, f => LambdaPackage.Extract(LambdaPackage.ZipOf(folder, f)));
            }

            return _taskRoots;
        }
        finally
        {
            Unpacking.Release();
        }
    }
}
