using System.Text.Json.Nodes;
using PubSub.CloudFormation.Linting;

namespace PubSub.UnitTests.CloudFormation;

/// <summary>Each check of the linter, proven by a template broken in exactly that way, against a
/// small valid template that passes.</summary>
public sealed class TemplateLinterTests
{
    private const string Valid = """
        {
          "AWSTemplateFormatVersion": "2010-09-09",
          "Parameters": {
            "Retention": { "Type": "Number", "Default": 345600 },
            "Env": { "Type": "String", "Default": "prod", "AllowedValues": ["prod", "test"] }
          },
          "Conditions": { "IsProd": { "Fn::Equals": [ { "Ref": "Env" }, "prod" ] } },
          "Mappings": { "Sizes": { "prod": { "Memory": 512 } } },
          "Resources": {
            "Key": { "Type": "AWS::KMS::Key", "DeletionPolicy": "Retain", "UpdateReplacePolicy": "Retain", "Properties": { "EnableKeyRotation": true } },
            "Queue": {
              "Type": "AWS::SQS::Queue",
              "DeletionPolicy": "Delete",
              "UpdateReplacePolicy": "Delete",
              "Properties": {
                "QueueName": { "Fn::Sub": "${AWS::StackName}-queue" },
                "MessageRetentionPeriod": { "Ref": "Retention" },
                "KmsMasterKeyId": { "Fn::GetAtt": ["Key", "Arn"] },
                "DelaySeconds": { "Fn::If": ["IsProd", 0, { "Ref": "AWS::NoValue" }] },
                "Tags": [ { "Key": "team", "Value": "events" } ]
              }
            },
            "Topic": { "Type": "AWS::SNS::Topic", "DependsOn": "Queue", "Condition": "IsProd" },
            "Subscription": {
              "Type": "AWS::SNS::Subscription",
              "Properties": {
                "TopicArn": { "Ref": "Topic" },
                "Protocol": "sqs",
                "Endpoint": { "Fn::GetAtt": "Queue.Arn" },
                "RawMessageDelivery": "true",
                "FilterPolicy": { "type": [ { "prefix": "order." } ] }
              }
            },
            "Function": {
              "Type": "AWS::Lambda::Function",
              "Properties": {
                "Code": "../artifacts/function.zip",
                "Role": { "Fn::Sub": ["arn:aws:iam::${AWS::AccountId}:role/${Name}", { "Name": "runner" }] },
                "MemorySize": { "Fn::FindInMap": ["Sizes", "prod", "Memory"] },
                "Environment": { "Variables": { "QUEUE": { "Ref": "Queue" }, "LITERAL": "${!NotAVariable}" } }
              }
            },
            "Custom": { "Type": "Custom::Thing", "Properties": { "ServiceToken": { "Fn::GetAtt": ["Function", "Arn"] }, "Anything": 1 } }
          },
          "Outputs": {
            "QueueUrl": { "Value": { "Ref": "Queue" } },
            "Custom": { "Value": { "Fn::GetAtt": ["Custom", "WhateverItReturns"] }, "Condition": "IsProd" }
          }
        }
        """;

    private static IReadOnlyList<LintFinding> Lint(string json) => new TemplateLinter(Specification.Instance).Lint(json);

    private static IReadOnlyList<LintFinding> LintBroken(Action<JsonObject> breakIt)
    {
        var template = JsonNode.Parse(Valid)!.AsObject();
        breakIt(template);
        return Lint(template.ToJsonString());
    }

    private static JsonObject Resource(JsonObject template, string name) => template["Resources"]![name]!.AsObject();

    private static JsonObject Properties(JsonObject template, string name) => Resource(template, name)["Properties"]!.AsObject();

    [Fact]
    public void A_valid_template_with_every_construct_passes() => Assert.Empty(Lint(Valid));

    [Theory]
    [InlineData("unknown resource type", "Unknown resource type 'AWS::SQS::Queu'. Did you mean 'AWS::SQS::Queue'?")]
    [InlineData("unknown property", "Unknown property 'DelaySecond'. Did you mean 'DelaySeconds'?")]
    [InlineData("integer as text", "Expected an integer, found the string \"soon\".")]
    [InlineData("object for a string", "Expected a string, found an object.")]
    [InlineData("missing required", "Required property 'Role' is missing.")]
    [InlineData("unknown nested property", "Unknown property 'Variable'. Did you mean 'Variables'?")]
    [InlineData("a tag without its value", "Required property 'Value' is missing.")]
    [InlineData("unknown attribute", "AWS::SQS::Queue has no attribute 'Url' (it has Arn, QueueName, QueueUrl).")]
    [InlineData("getatt of nothing", "Fn::GetAtt names 'Queues', which is not a resource. Did you mean 'Queue'?")]
    [InlineData("ref of nothing", "Ref to 'Topics', which is neither a parameter nor a resource. Did you mean 'Topic'?")]
    [InlineData("sub of nothing", "Ref to 'AWS::StackNam', which is neither a parameter nor a resource.")]
    [InlineData("sub of an unknown attribute", "AWS::KMS::Key has no attribute 'Id' (it has Arn, KeyId).")]
    [InlineData("depends on nothing", "DependsOn names 'Queues', which is not a resource. Did you mean 'Queue'?")]
    [InlineData("unknown condition", "Condition 'IsProduction' is not defined.")]
    [InlineData("fn::if of an unknown condition", "Condition 'IsTest' is not defined.")]
    [InlineData("unknown mapping", "Fn::FindInMap names mapping 'Size', which is not defined. Did you mean 'Sizes'?")]
    [InlineData("unused parameter", "Parameter 'Unused' is defined but never used.")]
    [InlineData("default not allowed", "The default 'staging' is not one of the allowed values.")]
    [InlineData("parameter without type", "A parameter needs a Type.")]
    [InlineData("custom resource without token", "A custom resource needs a ServiceToken.")]
    [InlineData("unknown section", "'Output' is not a template section. Did you mean 'Outputs'?")]
    [InlineData("unknown intrinsic", "Unknown intrinsic function 'Fn::Subb'. Did you mean 'Fn::Sub'?")]
    [InlineData("output without value", "An output needs a Value.")]
    [InlineData("resource in a condition", "Conditions can refer to parameters only; 'Queue' is a resource.")]
    [InlineData("bad deletion policy", "DeletionPolicy must be one of Delete, Retain, RetainExceptOnCreate, Snapshot.")]
    [InlineData("wrong branch type", "Expected an integer, found the string \"never\".")]
    public void Each_check_reports_its_error(string broken, string expected)
    {
        var findings = LintBroken(t =>
        {
            switch (broken)
            {
                case "unknown resource type": Resource(t, "Queue")["Type"] = "AWS::SQS::Queu"; break;
                case "unknown property": Properties(t, "Queue").Remove("DelaySeconds"); Properties(t, "Queue")["DelaySecond"] = 5; break;
                case "integer as text": Properties(t, "Queue")["MessageRetentionPeriod"] = "soon"; break;
                case "object for a string": Properties(t, "Subscription")["Protocol"] = new JsonObject { ["name"] = "sqs" }; break;
                case "missing required": Properties(t, "Function").Remove("Role"); break;
                case "unknown nested property":
                    var environment = Properties(t, "Function")["Environment"]!.AsObject();
                    environment["Variable"] = environment["Variables"]!.DeepClone();
                    environment.Remove("Variables");
                    break;
                case "a tag without its value": Properties(t, "Queue")["Tags"] = new JsonArray(new JsonObject { ["Key"] = "team" }); break;
                case "unknown attribute": Properties(t, "Subscription")["Endpoint"] = JsonNode.Parse("""{"Fn::GetAtt":["Queue","Url"]}"""); break;
                case "getatt of nothing": Properties(t, "Subscription")["Endpoint"] = JsonNode.Parse("""{"Fn::GetAtt":"Queues.Arn"}"""); break;
                case "ref of nothing": Properties(t, "Subscription")["TopicArn"] = JsonNode.Parse("""{"Ref":"Topics"}"""); break;
                case "sub of nothing": Properties(t, "Queue")["QueueName"] = JsonNode.Parse("""{"Fn::Sub":"${AWS::StackNam}-queue"}"""); break;
                case "sub of an unknown attribute": Properties(t, "Queue")["QueueName"] = JsonNode.Parse("""{"Fn::Sub":"${Key.Id}"}"""); break;
                case "depends on nothing": Resource(t, "Topic")["DependsOn"] = "Queues"; break;
                case "unknown condition": Resource(t, "Topic")["Condition"] = "IsProduction"; break;
                case "fn::if of an unknown condition": Properties(t, "Queue")["DelaySeconds"] = JsonNode.Parse("""{"Fn::If":["IsTest",0,1]}"""); break;
                case "unknown mapping": Properties(t, "Function")["MemorySize"] = JsonNode.Parse("""{"Fn::FindInMap":["Size","prod","Memory"]}"""); break;
                case "unused parameter": t["Parameters"]!["Unused"] = new JsonObject { ["Type"] = "String" }; break;
                case "default not allowed": t["Parameters"]!["Env"]!["Default"] = "staging"; break;
                case "parameter without type": t["Parameters"]!["Retention"]!.AsObject().Remove("Type"); break;
                case "custom resource without token": Properties(t, "Custom").Remove("ServiceToken"); break;
                case "unknown section": t["Output"] = t["Outputs"]!.DeepClone(); break;
                case "unknown intrinsic": Properties(t, "Queue")["QueueName"] = JsonNode.Parse("""{"Fn::Subb":"x"}"""); break;
                case "output without value": t["Outputs"]!["QueueUrl"]!.AsObject().Remove("Value"); break;
                case "resource in a condition": t["Conditions"]!["IsProd"] = JsonNode.Parse("""{"Fn::Equals":[{"Ref":"Queue"},"x"]}"""); break;
                case "bad deletion policy": Resource(t, "Queue")["DeletionPolicy"] = "Keep"; break;
                case "wrong branch type": Properties(t, "Queue")["DelaySeconds"] = JsonNode.Parse("""{"Fn::If":["IsProd",0,"never"]}"""); break;
                default: throw new ArgumentException(broken);
            }
        });

        Assert.Contains(findings, f => f.Severity == LintSeverity.Error && f.Message == expected);
    }

    [Fact]
    public void A_stateful_resource_without_both_policies_is_a_warning_as_cfn_lint_I3011()
    {
        var findings = LintBroken(t => Resource(t, "Queue").Remove("UpdateReplacePolicy"));

        var finding = Assert.Single(findings);
        Assert.Equal(LintSeverity.Warning, finding.Severity);
        Assert.Equal("Resources/Queue", finding.Path);
        Assert.StartsWith("AWS::SQS::Queue holds state: set DeletionPolicy and UpdateReplacePolicy", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_template_without_resources_is_an_error() =>
        Assert.Contains(Lint("{}"), f => f.Message.StartsWith("A template needs a Resources section", StringComparison.Ordinal));

    [Fact]
    public void Findings_name_the_path_to_the_problem()
    {
        var findings = LintBroken(t => Properties(t, "Subscription")["RawMessageDelivery"] = "yes");

        Assert.Equal("Resources/Subscription/Properties/RawMessageDelivery", Assert.Single(findings).Path);
    }
}
