namespace Microsoft.Extensions.Hosting;

/// <summary>One region setting for both local services: ingestion stamps it on every event it accepts
/// (the origin region) and the stream publisher publishes the events stamped with it. Read from one place,
/// so that the two cannot disagree and skip every event as another region's.</summary>
public static class DeploymentRegionExtensions
{
    /// <summary>This deployment's region (environment: <c>PubSub__Region</c>).</summary>
    public const string RegionKey = "PubSub:Region";

    /// <summary>The other regions of the events global table, comma-separated (<c>PubSub__ReplicaRegions</c>).</summary>
    public const string ReplicaRegionsKey = "PubSub:ReplicaRegions";

    /// <summary><c>PubSub:Region</c>, else <c>AWS_REGION</c>, else <c>AWS_DEFAULT_REGION</c> (as the AWS SDK reads them).</summary>
    /// <exception cref="InvalidOperationException">None of them is set.</exception>
    public static string DeploymentRegion(this IHostApplicationBuilder builder) =>
        new[] { builder.Configuration[RegionKey], builder.Configuration["AWS_REGION"], builder.Configuration["AWS_DEFAULT_REGION"] }
            .FirstOrDefault(r => !string.IsNullOrWhiteSpace(r))?.Trim()
        ?? throw new InvalidOperationException($"No region is configured: set {RegionKey} (environment PubSub__Region) or AWS_REGION.");
}
