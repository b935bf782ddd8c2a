using System.Text.Json.Nodes;
using PubSub.CloudFormation.Generation;
using PubSub.CloudFormation.Linting;
using PubSub.Definition;

namespace PubSub.UnitTests.CloudFormation;

/// <summary>The stack generated from a system definition: it passes the linter, the committed template
/// is what the repository's definition gives, and each publisher, topic and subscription becomes the
/// resources it should.</summary>
public sealed class StackTemplateTests
{
    private static readonly string RepositoryRoot = PubSub.Emulators.EmulatorInstallation.Locate().RepositoryRoot;

    private static SystemDefinition RepositoryDefinition => SystemDefinitionLoader.Load(Path.Combine(RepositoryRoot, "pubsub.json"));

    internal static SystemDefinition Definition(string publishers = "", string topics = "", string subscriptions = "") => SystemDefinitionLoader.Parse($$"""
        {
          "name": "shop",
          "events": { "table": "shop-events", "retentionDays": 7, "archiveBucket": "shop-archive" },
          "deadLetterQueues": { "ingestion": "shop-ingestion-dlq", "publish": "shop-publish-dlq" },
          "topics": [ { "name": "alerts" }, { "name": "orders" } {{topics}} ],
          "alertsTopic": "alerts",
          "publishers": [ { "name": "acme", "plan": { "rateLimit": 5, "burstLimit": 10, "quota": { "limit": 1000, "period": "week" } } } {{publishers}} ],
          "subscriptions": [ { "topic": "orders", "protocol": "sqs", "endpoint": "billing", "rawMessageDelivery": true,
                               "filterPolicy": { "total": [ { "numeric": [ ">", 100 ] } ] }, "filterPolicyScope": "MessageBody" } {{subscriptions}} ]
        }
        """);

    internal static JsonObject Resources(SystemDefinition definition) => StackTemplate.Generate(definition)["Resources"]!.AsObject();

    [Fact]
    public void The_generated_stack_passes_the_linter()
    {
        var findings = new TemplateLinter(Specification.Instance).Lint(StackTemplate.ToJson(StackTemplate.Generate(RepositoryDefinition)));

        Assert.Empty(findings);
    }

    [Fact]
    public void The_committed_template_is_what_the_repository_definition_gives()
    {
        var committed = File.ReadAllText(Path.Combine(RepositoryRoot, "cloudformation", "pubsub.template.json"));

        Assert.True(committed == StackTemplate.ToJson(StackTemplate.Generate(RepositoryDefinition)),
            "cloudformation/pubsub.template.json is out of date: run 'dotnet run --project PubSub.Cli -- cfn generate -o cloudformation/pubsub.template.json'");
    }

    [Fact]
    public void Each_publisher_gets_a_key_a_usage_plan_from_its_definition_and_the_link()
    {
        var resources = Resources(Definition(publishers: """, { "name": "old-partner", "enabled": false }"""));

        var plan = resources["UsagePlanAcme"]!["Properties"]!;
        Assert.Equal(5, plan["Throttle"]!["RateLimit"]!.GetValue<double>());
        Assert.Equal(10, plan["Throttle"]!["BurstLimit"]!.GetValue<int>());
        Assert.Equal(1000, plan["Quota"]!["Limit"]!.GetValue<long>());
        Assert.Equal("WEEK", plan["Quota"]!["Period"]!.GetValue<string>());
        Assert.Equal("ApiKeyAcme", resources["UsagePlanKeyAcme"]!["Properties"]!["KeyId"]!["Ref"]!.GetValue<string>());
        Assert.True(resources["ApiKeyAcme"]!["Properties"]!["Enabled"]!.GetValue<bool>());
        Assert.False(resources["ApiKeyOldPartner"]!["Properties"]!["Enabled"]!.GetValue<bool>());
        Assert.Null(resources["UsagePlanOldPartner"]!["Properties"]!["Throttle"]);
        var keys = resources["IngestionFunction"]!["Properties"]!["Environment"]!["Variables"]!["PUBSUB_API_KEYS"]!["Fn::Sub"]!.GetValue<string>();
        Assert.Equal("${ApiKeyAcme}=acme,${ApiKeyOldPartner}=old-partner", keys);
    }

    [Fact]
    public void The_ingestion_function_is_told_which_api_stage_and_account_may_invoke_it()
    {
        var variables = Resources(Definition())["IngestionFunction"]!["Properties"]!["Environment"]!["Variables"]!;

        Assert.Equal("Api", variables["PUBSUB_API_ID"]!["Ref"]!.GetValue<string>());
        Assert.Equal("StageName", variables["PUBSUB_API_STAGE"]!["Ref"]!.GetValue<string>());
        Assert.Equal("AWS::AccountId", variables["PUBSUB_ACCOUNT_ID"]!["Ref"]!.GetValue<string>());
    }

    [Fact]
    public void Topics_are_encrypted_fifo_when_named_so_and_the_stream_publisher_may_publish_to_each()
    {
        var resources = Resources(Definition(topics: """, { "name": "payments.fifo" }"""));

        Assert.True(resources["TopicPaymentsFifo"]!["Properties"]!["FifoTopic"]!.GetValue<bool>());
        Assert.Equal("payments.fifo", resources["TopicPaymentsFifo"]!["Properties"]!["TopicName"]!.GetValue<string>());
        Assert.NotNull(resources["TopicOrders"]!["Properties"]!["KmsMasterKeyId"]);
        var statements = resources["StreamPublisherFunctionRole"]!["Properties"]!["Policies"]![0]!["PolicyDocument"]!["Statement"]!.AsArray();
        var publish = statements.Single(s => s!["Action"]!.AsArray().Any(a => a!.GetValue<string>() == "sns:Publish"));
        Assert.Equal(["TopicAlerts", "TopicOrders", "TopicPaymentsFifo"], publish!["Resource"]!.AsArray().Select(r => r!["Ref"]!.GetValue<string>()));
    }

    [Fact]
    public void A_subscription_gets_its_queue_a_dead_letter_queue_with_an_alarm_and_its_filter_policy()
    {
        var resources = Resources(Definition());

        var subscription = resources["SubscriptionOrdersToBilling"]!["Properties"]!;
        Assert.Equal("MessageBody", subscription["FilterPolicyScope"]!.GetValue<string>());
        Assert.Equal(100, subscription["FilterPolicy"]!["total"]![0]!["numeric"]![1]!.GetValue<int>());
        Assert.Equal("UndeliveredOrdersToBilling", subscription["RedrivePolicy"]!["deadLetterTargetArn"]!["Fn::GetAtt"]![0]!.GetValue<string>());
        Assert.Equal("billing", resources["SubscriberQueueBilling"]!["Properties"]!["QueueName"]!.GetValue<string>());
        Assert.NotNull(resources["UndeliveredOrdersToBillingAlarm"]);
        Assert.NotNull(resources["SubscriberQueueBillingPolicy"]);
    }

    [Fact]
    public void Every_dead_letter_queue_alarms_to_the_alerts_topic_when_a_message_waits()
    {
        var resources = Resources(Definition());

        foreach (var queue in new[] { "IngestionDeadLetterQueue", "PublishDeadLetterQueue", "StreamFailureQueue" })
        {
            var alarm = resources[queue + "Alarm"]!["Properties"]!;
            Assert.Equal("ApproximateNumberOfMessagesVisible", alarm["MetricName"]!.GetValue<string>());
            Assert.Equal("GreaterThanThreshold", alarm["ComparisonOperator"]!.GetValue<string>());
            Assert.Equal(0, alarm["Threshold"]!.GetValue<int>());
            Assert.Equal("TopicAlerts", alarm["AlarmActions"]![0]!["Ref"]!.GetValue<string>());
            Assert.Equal(1_209_600, resources[queue]!["Properties"]!["MessageRetentionPeriod"]!.GetValue<int>());
        }
    }

    [Fact]
    public void The_stream_mapping_takes_only_this_regions_inserts_and_reports_partial_failures()
    {
        var mapping = Resources(Definition())["StreamEventSourceMapping"]!["Properties"]!;

        Assert.Equal("ReportBatchItemFailures", mapping["FunctionResponseTypes"]![0]!.GetValue<string>());
        Assert.True(mapping["BisectBatchOnFunctionError"]!.GetValue<bool>());
        Assert.Equal("""{"eventName":["INSERT"],"dynamodb":{"NewImage":{"originRegion":{"S":["${AWS::Region}"]}}}}""",
            mapping["FilterCriteria"]!["Filters"]![0]!["Pattern"]!["Fn::Sub"]!.GetValue<string>());
    }

    [Fact]
    public void The_deployment_id_is_stable_for_the_same_api_and_publisher_changes_do_not_redeploy_it()
    {
        static string Deployment(JsonObject resources) => resources.Select(r => r.Key).Single(k => k.StartsWith("ApiDeployment", StringComparison.Ordinal));

        var first = Deployment(Resources(Definition()));
        var same = Deployment(Resources(Definition()));

        Assert.Equal(first, same);
        Assert.Equal(first, Deployment(Resources(Definition(publishers: """, { "name": "other" }"""))));
    }

    [Fact]
    public void Two_names_that_give_one_logical_id_are_refused_with_both_named()
    {
        var error = Assert.Throws<SystemDefinitionException>(() => StackTemplate.Generate(Definition(topics: """, { "name": "or-ders" }, { "name": "or_ders" }""")));

        Assert.Contains("TopicOrDers", error.Message, StringComparison.Ordinal);
    }
}
