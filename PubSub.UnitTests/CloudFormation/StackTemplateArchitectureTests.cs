using System.Text.Json.Nodes;
using PubSub.CloudFormation.Generation;

namespace PubSub.UnitTests.CloudFormation;

/// <summary>The functions' processor as a stack parameter: arm64 (Graviton) by default, x86_64 on request, and the
/// zip that <c>eng/deploy.sh</c> uploaded for that architecture (so code and architecture cannot disagree).</summary>
public sealed class StackTemplateArchitectureTests
{
    private static readonly JsonObject Template = StackTemplate.Generate(StackTemplateTests.Definition());

    private static JsonObject Function(string id) => Template["Resources"]![id]!["Properties"]!.AsObject();

    [Fact]
    public void Architecture_is_a_parameter_that_defaults_to_arm64_and_allows_only_the_two_lambda_architectures()
    {
        var parameter = Template["Parameters"]!["Architecture"]!;

        Assert.Equal("String", parameter["Type"]!.GetValue<string>());
        Assert.Equal("arm64", parameter["Default"]!.GetValue<string>());
        Assert.Equal(["arm64", "x86_64"], parameter["AllowedValues"]!.AsArray().Select(v => v!.GetValue<string>()));
    }

    [Theory]
    [InlineData("IngestionFunction", "ingestion")]
    [InlineData("StreamPublisherFunction", "stream-publisher")]
    public void Each_function_runs_on_the_chosen_architecture_from_that_architectures_zip(string id, string zip)
    {
        var function = Function(id);

        Assert.Equal("""[{"Ref":"Architecture"}]""", function["Architectures"]!.ToJsonString());
        Assert.Equal("""{"Ref":"CodeBucket"}""", function["Code"]!["S3Bucket"]!.ToJsonString());
        Assert.Equal($"${{CodeKeyPrefix}}pubsub-{zip}-${{Architecture}}.zip", function["Code"]!["S3Key"]!["Fn::Sub"]!.GetValue<string>());
    }

    [Fact]
    public void The_code_bucket_must_be_named_and_the_key_prefix_may_be_empty()
    {
        Assert.Null(Template["Parameters"]!["CodeBucket"]!["Default"]);
        Assert.Equal("", Template["Parameters"]!["CodeKeyPrefix"]!["Default"]!.GetValue<string>());
    }
}
