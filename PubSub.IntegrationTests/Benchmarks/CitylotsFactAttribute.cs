using PubSub.Emulators;

namespace PubSub.IntegrationTests.Benchmarks;

/// <summary>A fact that needs Java, to generate the citylots corpus. Skipped, with the reason, where Java is missing;
/// under CI (<c>.ci/run</c> sets CI, and the machine image has Java 17) it runs, and a missing Java fails it.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class CitylotsFactAttribute : FactAttribute
{
    public CitylotsFactAttribute()
    {
        if (Environment.GetEnvironmentVariable("CI") is null or "" && MissingPrerequisite() is { } missing)
        {
            Skip = missing;
        }
    }

    /// <summary>What the benchmark cannot run without, or null.</summary>
    public static string? MissingPrerequisite()
    {
        if (ExecutableSearch.OnPath("java") is null)
        {
            return "java is not on PATH: the citylots corpus cannot be generated (GenCityLots2.java needs Java 11+)";
        }

        return null;
    }
}
