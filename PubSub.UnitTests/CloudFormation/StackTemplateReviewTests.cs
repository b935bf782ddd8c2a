using System.Text.Json.Nodes;
using PubSub.CloudFormation.Generation;

namespace PubSub.UnitTests.CloudFormation;

/// <summary>The findings of the AWS review of the stack (issue 15), one test each: what would have failed at
/// create time, broken a feature silently or lost data on delete.</summary>
public sealed class StackTemplateReviewTests
{
    private static readonly JsonObject Template = StackTemplate.Generate(StackTemplateTests.Definition());

    private static JsonObject Resources { get; } = Template[nameof(Resources)]!.AsObject();

    private static JsonArray RawKeyStatements => Resources["EncryptionKey"]!["Properties"]!["KeyPolicy"]!["Statement"]!.AsArray();

    /// <summary>The statements, with a conditional one (<c>Fn::If</c> with <c>AWS::NoValue</c>) read as its statement.</summary>
    private static JsonArray KeyStatements =>
        [.. RawKeyStatements.Select(s => (s!["Fn::If"]?.AsArray()[1] ?? s)!.DeepClone())];

    private static JsonNode Statement(string sid) => KeyStatements.Single(s => s!["Sid"]!.GetValue<string>() == sid)!;

    [Fact]
    public void Macies_service_linked_role_itself_may_decrypt_with_the_archive_key()
    {
        var macie = Statement("MacieServiceLinkedRoleReadsTheArchive");

        // The role as principal (the account root would only delegate to IAM, and the role's policy has no kms:Decrypt);
        // the role of the session the stack creates, so that the key waits for it.
        var principal = macie["Principal"]!["AWS"]!["Fn::If"]!.AsArray();
        Assert.Equal("EnablesMacie", principal[0]!.GetValue<string>());
        Assert.Equal(["MacieSession", "ServiceRole"], principal[1]!["Fn::GetAtt"]!.AsArray().Select(a => a!.GetValue<string>()));
        Assert.Equal("arn:${AWS::Partition}:iam::${AWS::AccountId}:role/aws-service-role/macie.amazonaws.com/AWSServiceRoleForAmazonMacie",
            principal[2]!["Fn::Sub"]!.GetValue<string>());
        Assert.Equal("kms:Decrypt", macie["Action"]!.GetValue<string>());
        Assert.Null(macie["Condition"]);

        // EnableMacie=false: the statement goes (the role may not exist, and KMS refuses a policy naming one that does not).
        var conditional = RawKeyStatements.Single(s => s!["Fn::If"] is not null)!["Fn::If"]!.AsArray();
        Assert.Equal("UsesMacie", conditional[0]!.GetValue<string>());
        Assert.Equal("AWS::NoValue", conditional[2]!["Ref"]!.GetValue<string>());
        Assert.Equal("""{"Fn::Not":[{"Fn::Equals":[{"Ref":"EnableMacie"},"false"]}]}""", Template["Conditions"]!["UsesMacie"]!.ToJsonString());
        Assert.DoesNotContain(KeyStatements, s => s!["Sid"]!.GetValue<string>() != "AccountAdministers"
            && s["Principal"]!["AWS"]?.ToJsonString().Contains(":root", StringComparison.Ordinal) == true);
    }

    [Fact]
    public void Sns_and_CloudWatch_may_use_the_key_only_for_this_account_and_region()
    {
        foreach (var (sid, service, source) in new[]
        {
            ("TopicsDeliverToQueues", "sns.amazonaws.com", "arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:*"),
            ("AlarmsPublishToAlerts", "cloudwatch.amazonaws.com", "arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:*"),
        })
        {
            var statement = Statement(sid);
            Assert.Equal(service, statement["Principal"]!["Service"]!.GetValue<string>());
            Assert.Equal("AWS::AccountId", statement["Condition"]!["StringEquals"]!["aws:SourceAccount"]!["Ref"]!.GetValue<string>());
            Assert.Equal(source, statement["Condition"]!["ArnLike"]!["aws:SourceArn"]!["Fn::Sub"]!.GetValue<string>());
        }

        // Every service statement names one service, so that no condition applies to a service it does not fit.
        Assert.All(KeyStatements.Where(s => s!["Principal"]!["Service"] is not null), s => Assert.IsAssignableFrom<JsonValue>(s!["Principal"]!["Service"]));
    }

    [Fact]
    public void Macie_stays_enabled_when_the_stack_goes_and_reports_only_on_the_archive()
    {
        var session = Resources["MacieSession"]!;
        Assert.Equal("RetainExceptOnCreate", session["DeletionPolicy"]!.GetValue<string>());
        Assert.Equal("Retain", session["UpdateReplacePolicy"]!.GetValue<string>());

        var pattern = Resources["MacieFindingsRule"]!["Properties"]!["EventPattern"]!;
        Assert.Equal("ArchiveBucket", pattern["detail"]!["resourcesAffected"]!["s3Bucket"]!["name"]![0]!["Ref"]!.GetValue<string>());

        var command = Template["Outputs"]!["MacieClassificationJobCommand"]!["Value"]!["Fn::Sub"]!.GetValue<string>();
        Assert.Contains(" --initial-run ", command, StringComparison.Ordinal);
    }

    [Fact]
    public void The_api_gateway_account_waits_for_the_api_and_outlives_the_stack_with_its_role()
    {
        var account = Resources["ApiGatewayAccount"]!;

        Assert.Contains("Api", account["DependsOn"]!.AsArray().Select(d => d!.GetValue<string>()));
        foreach (var id in new[] { "ApiGatewayAccount", "ApiGatewayCloudWatchRole" })
        {
            Assert.Equal("CreatesApiGatewayAccountRole", Resources[id]!["Condition"]!.GetValue<string>());
            Assert.Equal("RetainExceptOnCreate", Resources[id]!["DeletionPolicy"]!.GetValue<string>());
            Assert.Equal("Retain", Resources[id]!["UpdateReplacePolicy"]!.GetValue<string>());
        }
    }

    [Fact]
    public void The_fallback_gateway_responses_keep_each_errors_own_status()
    {
        foreach (var id in new[] { "GatewayResponseDefault4xx", "GatewayResponseDefault5xx" })
        {
            var properties = Resources[id]!["Properties"]!;
            Assert.Null(properties["StatusCode"]);
            var body = JsonNode.Parse(properties["ResponseTemplates"]!["application/json"]!.GetValue<string>()
                .Replace("$context.error.messageString", "\"message\"", StringComparison.Ordinal))!;
            Assert.Null(body["status"]);
        }

        Assert.Equal("403", Resources["GatewayResponseInvalidApiKey"]!["Properties"]!["StatusCode"]!.GetValue<string>());
        Assert.Equal("429", Resources["GatewayResponseThrottled"]!["Properties"]!["StatusCode"]!.GetValue<string>());
    }

    /// <summary>The types cfn-lint's I3011 counts as stateful that the stack uses, and API Gateway's region-wide setting.</summary>
    private static readonly string[] StatefulTypes =
    [
        "AWS::SQS::Queue", "AWS::Logs::LogGroup", "AWS::S3::Bucket", "AWS::DynamoDB::GlobalTable", "AWS::KMS::Key",
        "AWS::SecretsManager::Secret", "AWS::Macie::Session", "AWS::ApiGateway::Account",
    ];

    [Fact]
    public void Every_stateful_resource_is_kept_on_delete_and_on_replacement()
    {
        var stateful = Resources.Where(r => StatefulTypes.Contains(r.Value!["Type"]!.GetValue<string>())).ToList();

        Assert.Contains(stateful, r => r.Key == "IngestionDeadLetterQueue");
        Assert.Contains(stateful, r => r.Key == "UndeliveredOrdersToBilling");
        Assert.Contains(stateful, r => r.Key == "SubscriberQueueBilling");
        Assert.All(stateful, r =>
        {
            Assert.True(r.Value!["DeletionPolicy"]?.GetValue<string>() == "RetainExceptOnCreate", $"{r.Key} has no DeletionPolicy RetainExceptOnCreate");
            Assert.True(r.Value!["UpdateReplacePolicy"]?.GetValue<string>() == "Retain", $"{r.Key} has no UpdateReplacePolicy Retain");
        });
    }

    [Fact]
    public void A_subscriptions_dead_letter_alarm_says_how_to_resend_without_start_message_move_task()
    {
        var description = Resources["UndeliveredOrdersToBillingAlarm"]!["Properties"]!["AlarmDescription"]!.GetValue<string>();

        Assert.DoesNotContain("start-message-move-task", description, StringComparison.Ordinal);
        Assert.DoesNotContain("dlq replay", description, StringComparison.Ordinal);
        Assert.Contains("pubsub events replay", description, StringComparison.Ordinal);
        Assert.Contains("receive-message", description, StringComparison.Ordinal);
        Assert.True(description.Length <= 1024, "CloudWatch allows 1024 characters of alarm description");
    }

    [Fact]
    public void The_archive_cannot_expire_before_its_last_storage_transition()
    {
        var minimum = Template["Parameters"]!["ArchiveRetentionDays"]!["MinValue"]!.GetValue<int>();
        var rule = Resources["ArchiveBucket"]!["Properties"]!["LifecycleConfiguration"]!["Rules"]![0]!;
        var lastTransition = rule["Transitions"]!.AsArray().Max(t => t!["TransitionInDays"]!.GetValue<int>());

        Assert.Equal(91, minimum);
        Assert.True(minimum > lastTransition);
        Assert.True(Template["Parameters"]!["ArchiveRetentionDays"]!["Default"]!.GetValue<int>() >= minimum);
    }

    [Fact]
    public void No_name_is_built_from_the_stack_name_where_a_long_stack_name_would_not_fit()
    {
        // A function name has at most 64 characters and a stack name up to 128: CloudFormation names the functions.
        foreach (var function in Resources.Where(r => r.Value!["Type"]!.GetValue<string>() == "AWS::Lambda::Function"))
        {
            Assert.Null(function.Value!["Properties"]!["FunctionName"]);
        }

        // Every other name that carries the stack name fits a 128-character one (limits from the resource types' docs).
        var limits = new Dictionary<(string Type, string Property), int>
        {
            [("AWS::Logs::LogGroup", "LogGroupName")] = 512,
            [("AWS::KMS::Alias", "AliasName")] = 256,
            [("AWS::ApiGateway::ApiKey", "Name")] = 1024,
            [("AWS::ApiGateway::UsagePlan", "UsagePlanName")] = 1024,
            [("AWS::ApiGateway::RestApi", "Name")] = 1024,
        };
        var longest = new string('s', 128);
        foreach (var (id, resource) in Resources)
        {
            if (resource!["Properties"] is not JsonObject properties)
            {
                continue;
            }

            foreach (var (property, value) in properties)
            {
                if (value is not JsonObject function || function["Fn::Sub"] is not JsonValue sub || !property.EndsWith("Name", StringComparison.Ordinal))
                {
                    continue;
                }

                var text = sub.GetValue<string>();
                if (!text.Contains("${AWS::StackName}", StringComparison.Ordinal))
                {
                    continue;
                }

                var type = resource["Type"]!.GetValue<string>();
                Assert.True(limits.TryGetValue((type, property), out var limit), $"{id}.{property} ({type}) carries the stack name: add its limit here");
                Assert.True(text.Replace("${AWS::StackName}", longest, StringComparison.Ordinal).Length <= limit, $"{id}.{property} is too long for a 128-character stack name");
            }
        }

        Assert.Equal("IngestionFunction", Template["Outputs"]!["IngestionFunctionName"]!["Value"]!["Ref"]!.GetValue<string>());
    }

    [Fact]
    public void Api_gateways_execution_log_group_exists_before_the_stage_with_a_retention()
    {
        var group = Resources["ApiExecutionLogGroup"]!;

        Assert.Equal("API-Gateway-Execution-Logs_${Api}/${StageName}", group["Properties"]!["LogGroupName"]!["Fn::Sub"]!.GetValue<string>());
        Assert.Equal("LogRetentionDays", group["Properties"]!["RetentionInDays"]!["Ref"]!.GetValue<string>());
        Assert.Contains("ApiExecutionLogGroup", Resources["ApiStage"]!["DependsOn"]!.AsArray().Select(d => d!.GetValue<string>()));
    }

    [Fact]
    public void The_replica_stream_parameter_names_describe_table_and_its_latest_stream()
    {
        var description = Template["Parameters"]!["EventsTableStreamArn"]!["Description"]!.GetValue<string>();

        Assert.Contains("describe-table", description, StringComparison.Ordinal);
        Assert.Contains("LatestStreamArn", description, StringComparison.Ordinal);
    }
}
