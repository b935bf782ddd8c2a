using PubSub.CloudFormation.Specification;

namespace PubSub.UnitTests.CloudFormation;

/// <summary>The real CloudFormation resource specification (npm @aws-cdk/aws-service-spec, installed
/// by the build's npm ci), loaded once for all tests.</summary>
internal static class Specification
{
    private static readonly Lazy<ResourceSpecification> Loaded = new(() => ResourceSpecification.Load(SpecificationLocator.Locate()));

    public static ResourceSpecification Instance => Loaded.Value;
}
