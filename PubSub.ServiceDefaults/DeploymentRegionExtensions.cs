namespace Microsoft.Extensions.Hosting;

/// <summary>The region settings of a local service, read from its configuration; the rule is
/// <see cref="PubSub.Events.DeploymentRegion"/>'s, the same as the Lambda functions'.</summary>
public static class DeploymentRegionExtensions
{
    /// <summary>This deployment's region (environment: <c>PubSub__Region</c>).</summary>
    public const string RegionKey = PubSub.Events.DeploymentRegion.Setting;

    /// <summary>The other regions of the events global table, comma-separated (<c>PubSub__ReplicaRegions</c>).</summary>
    public const string ReplicaRegionsKey = "PubSub:ReplicaRegions";

    /// <inheritdoc cref="PubSub.Events.DeploymentRegion.From"/>
    public static string DeploymentRegion(this IHostApplicationBuilder builder) =>
        PubSub.Events.DeploymentRegion.From(key => builder.Configuration[key]);
}
