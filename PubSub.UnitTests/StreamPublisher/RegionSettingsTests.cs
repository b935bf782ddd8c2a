using Microsoft.Extensions.Hosting;
using PubSub.Functions;
using PubSub.StreamPublisher.Core;

namespace PubSub.UnitTests.StreamPublisher;

public sealed class RegionSettingsTests
{
    [Fact]
    public void Replica_regions_are_read_from_a_comma_separated_setting()
    {
        Assert.Equal(["eu-west-1", "ap-south-1"], PublisherSettings.RegionsFrom(" eu-west-1, ap-south-1 ,"));
        Assert.Empty(PublisherSettings.RegionsFrom(null));
    }

    [Fact]
    public void The_stream_function_reads_its_replica_regions_from_the_environment()
    {
        var root = Path.GetDirectoryName(Path.Combine(AppContext.BaseDirectory, "pubsub.json"))!;
        var settings = FunctionSettings.FromEnvironment(name => name switch
        {
            "LAMBDA_TASK_ROOT" => root,
            "AWS_REGION" => "us-east-1",
            FunctionSettings.ReplicaRegionsVariable => "eu-west-1,ap-south-1",
            _ => null,
        });

        Assert.Equal(["eu-west-1", "ap-south-1"], settings.ReplicaRegions);
    }

    [Fact]
    public void Both_local_services_take_their_region_from_one_setting_before_the_sdk_s()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["AWS_REGION"] = "us-east-1";
        builder.Configuration[DeploymentRegionExtensions.RegionKey] = "eu-central-1";

        Assert.Equal("eu-central-1", builder.DeploymentRegion());
    }
}
