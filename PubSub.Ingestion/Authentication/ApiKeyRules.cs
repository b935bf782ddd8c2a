namespace PubSub.Ingestion.Authentication;

/// <summary>Keys a deployment must not run with: short ones can be guessed, and <c>dev-{publisher}-key</c>
/// is in the README. Development (the AppHost) may use them; anything else refuses to start.</summary>
internal static class ApiKeyRules
{
    public const int MinLength = 32;
    public const string DevelopmentPrefix = "dev-";

    public static string? Weakness(string key) =>
        key.StartsWith(DevelopmentPrefix, StringComparison.Ordinal) ? $"a development key ({DevelopmentPrefix}...)"
        : key.Length < MinLength ? $"shorter than {MinLength} characters"
        : null;

    /// <summary>Checks every configured key (<c>Publishers:{name}:ApiKey</c>), declared publisher or not, so
    /// that one added to the definition later was checked too.</summary>
    /// <exception cref="InvalidOperationException">Outside Development, a key is weak; the message names each publisher.</exception>
    public static void Validate(IConfiguration configuration, IHostEnvironment environment)
    {
        if (environment.IsDevelopment())
        {
            return;
        }

        var weak = new List<string>();
        foreach (var publisher in configuration.GetSection(PublisherAccess.KeysSection).GetChildren())
        {
            if (publisher["ApiKey"] is { Length: > 0 } key && Weakness(key) is { } weakness)
            {
                weak.Add($"publisher '{publisher.Key}': its key is {weakness}");
            }
        }

        if (weak.Count > 0)
        {
            throw new InvalidOperationException(
                $"API keys refused in the {environment.EnvironmentName} environment ({string.Join("; ", weak)}). " +
                $"Set {PublisherAccess.KeysSection}:{{publisher}}:ApiKey to a random key of at least {MinLength} characters.");
        }
    }
}
