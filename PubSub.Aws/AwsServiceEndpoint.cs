using Amazon.Runtime;

namespace PubSub.Aws;

/// <summary>Where a hand-written client sends requests and how it signs them, resolved exactly as
/// the official SDK resolves them: explicit ServiceURL, then AWS_ENDPOINT_URL_{SERVICE},
/// AWS_ENDPOINT_URL and the profile's endpoint_url (all handled by <see cref="ClientConfig.ServiceURL"/>),
/// else the public regional endpoint.</summary>
internal sealed record AwsServiceEndpoint(Uri Url, string SigningRegion, string SigningService)
{
    /// <summary>The region the SDK signs for when a custom endpoint is given without any region.</summary>
    private const string CustomEndpointDefaultRegion = "us-east-1";

    public static AwsServiceEndpoint Resolve(ClientConfig config, string endpointPrefix, string signingService)
    {
        // Setting ServiceURL clears RegionEndpoint on the config; the environment's region still applies.
        var region = config.RegionEndpoint ?? FallbackRegionFactory.GetRegionEndpoint();
        var service = config.AuthenticationServiceName ?? signingService;
        if (config.ServiceURL is { Length: > 0 } serviceUrl)
        {
            return new AwsServiceEndpoint(new Uri(serviceUrl),
                config.AuthenticationRegion ?? region?.SystemName ?? CustomEndpointDefaultRegion, service);
        }

        if (region is null)
        {
            throw new AmazonClientException(
                "No AWS region is configured: set AWS_REGION, a profile region, or RegionEndpoint on the client config.");
        }

        var url = new Uri($"https://{endpointPrefix}.{region.SystemName}.{region.PartitionDnsSuffix ?? "amazonaws.com"}/");
        return new AwsServiceEndpoint(url, config.AuthenticationRegion ?? region.SystemName, service);
    }
}
