namespace PubSub.Events;

/// <summary>The region this deployment runs in: ingestion stamps it on every event it accepts (the origin
/// region) and the stream publisher publishes only the events stamped with it. Decided here for every host
/// (the local services and the Lambda functions), so that no two can disagree and skip every event as
/// another region's, and never guessed: a host without a region does not start.</summary>
public static class DeploymentRegion
{
    /// <summary>The system's own setting: configuration key <c>PubSub:Region</c>, environment <c>PubSub__Region</c>.</summary>
    public const string Setting = "PubSub:Region";

    /// <summary><c>PubSub:Region</c>, else <c>AWS_REGION</c>, else <c>AWS_DEFAULT_REGION</c> (as the AWS SDK reads them).</summary>
    /// <param name="setting">Reads a setting by its configuration key (<c>PubSub:Region</c>, <c>AWS_REGION</c>…).</param>
    /// <exception cref="InvalidOperationException">None of them is set.</exception>
    public static string From(Func<string, string?> setting) =>
        new[] { setting(Setting), setting("AWS_REGION"), setting("AWS_DEFAULT_REGION") }
            .FirstOrDefault(r => !string.IsNullOrWhiteSpace(r))?.Trim()
        ?? throw new InvalidOperationException($"No region is configured: set {Setting} (environment PubSub__Region) or AWS_REGION.");

    /// <summary>Reads the same settings from environment variables (<c>PubSub:Region</c> as <c>PubSub__Region</c>), as Lambda gives them.</summary>
    public static string FromEnvironment(Func<string, string?> variable) =>
        From(key => variable(key.Replace(":", "__", StringComparison.Ordinal)));
}
