using Microsoft.Extensions.Hosting;
using PubSub.Events;
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

    [Fact]
    public void The_local_services_and_the_functions_decide_the_region_by_one_rule_and_none_guesses()
    {
        var root = Path.GetDirectoryName(Path.Combine(AppContext.BaseDirectory, "pubsub.json"))!;
        var builder = Host.CreateApplicationBuilder();
        builder.Configuration["AWS_REGION"] = "us-east-1";
        builder.Configuration["PubSub:Region"] = "eu-central-1";
        var environment = new Dictionary<string, string> { ["AWS_REGION"] = "us-east-1", ["PubSub__Region"] = "eu-central-1", ["LAMBDA_TASK_ROOT"] = root };

        Assert.Equal(builder.DeploymentRegion(), FunctionSettings.FromEnvironment(environment.GetValueOrDefault).Region);
        Assert.Equal("us-east-1", DeploymentRegion.From(name => name == "AWS_DEFAULT_REGION" ? " us-east-1 " : null));
        var error = Assert.Throws<InvalidOperationException>(() => FunctionSettings.FromEnvironment(name => name == "LAMBDA_TASK_ROOT" ? root : null));
        Assert.Contains("AWS_REGION", error.Message, StringComparison.Ordinal);
        Assert.Throws<InvalidOperationException>(() => Host.CreateEmptyApplicationBuilder(new()).DeploymentRegion());
    }
}
