using System.Diagnostics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PubSub.CloudFormation.Generation;
using PubSub.Definition;
using PubSub.Emulators;
using PubSub.Functions;
using Xunit.Abstractions;

namespace PubSub.UnitTests.CloudFormation;

/// <summary>Webhook subscriptions in the stack: per https subscription its queues, raw SNS subscription, alarm and
/// event source mapping; once the tables and the delivery function with a least-privilege role; the local one left
/// out with a warning; the JWKS route; and the standard linter (cfn-lint) on the whole template.</summary>
public sealed partial class StackTemplateWebhookTests(ITestOutputHelper output)
{
    private const string TwoHttpsAndOneLocal = """
        , { "topic": "orders", "protocol": "webhook", "id": "billing", "endpoint": "https://billing.example.com/hooks",
            "filterPolicy": { "type": [ "order.created" ] } }
        , { "topic": "orders", "protocol": "webhook", "id": "crm", "endpoint": "https://crm.example.com/in", "rateLimit": 200 }
        , { "topic": "orders", "protocol": "webhook", "id": "demo", "endpoint": "http://localhost:5080/webhooks" }
        """;

    private static readonly SystemDefinition Definition = StackTemplateTests.Definition(subscriptions: TwoHttpsAndOneLocal);

    private static readonly JsonObject Template = StackTemplate.Generate(Definition);

    private static JsonObject Resources => Template[nameof(Resources)]!.AsObject();

    private static JsonNode Properties(string id) => Resources[id]!["Properties"]!;

    private static IEnumerable<KeyValuePair<string, JsonNode?>> OfType(JsonObject resources, string type) =>
        resources.Where(r => r.Value!["Type"]!.GetValue<string>() == type);

    [Fact]
    public void Each_https_webhook_gets_a_redriven_queue_its_dlq_and_a_raw_sqs_subscription_with_its_filter()
    {
        var queue = Properties("WebhookBillingQueue");
        Assert.Equal("shop-webhook-billing", queue["QueueName"]!.GetValue<string>());
        Assert.Equal("shop-webhook-billing-dlq", Properties("WebhookBillingDeadLetterQueue")["QueueName"]!.GetValue<string>());
        Assert.Equal(1_209_600, queue["MessageRetentionPeriod"]!.GetValue<int>());
        Assert.Equal(1000, queue["RedrivePolicy"]!["maxReceiveCount"]!.GetValue<int>());
        Assert.Equal("WebhookBillingDeadLetterQueue", queue["RedrivePolicy"]!["deadLetterTargetArn"]!["Fn::GetAtt"]![0]!.GetValue<string>());

        // Lambda refuses a mapping whose queue hides a message for less than the function's timeout; the timeout covers a 60 s attempt.
        var timeout = Properties("WebhookDeliveryFunction")["Timeout"]!.GetValue<int>();
        Assert.InRange(timeout, 61, 900);
        Assert.True(queue["VisibilityTimeout"]!.GetValue<int>() >= timeout);

        var subscription = Properties("WebhookBillingSubscription");
        Assert.Equal("sqs", subscription["Protocol"]!.GetValue<string>());
        Assert.True(subscription["RawMessageDelivery"]!.GetValue<bool>());
        Assert.Equal("WebhookBillingQueue", subscription["Endpoint"]!["Fn::GetAtt"]![0]!.GetValue<string>());
        Assert.Equal("""{"type":["order.created"]}""", subscription["FilterPolicy"]!.ToJsonString());
        Assert.Equal("MessageAttributes", subscription["FilterPolicyScope"]!.GetValue<string>());
        Assert.Null(Properties("WebhookCrmSubscription")["FilterPolicy"]);

        var policy = Properties("WebhookBillingQueuePolicy")["PolicyDocument"]!["Statement"]![0]!;
        Assert.Equal("sns.amazonaws.com", policy["Principal"]!["Service"]!.GetValue<string>());
        Assert.Equal("TopicOrders", policy["Condition"]!["ArnEquals"]!["aws:SourceArn"]!["Ref"]!.GetValue<string>());

        // "webhook" is no SNS protocol, and no example-subscription queues are made for webhooks.
        Assert.All(OfType(Resources, "AWS::SNS::Subscription"), s => Assert.NotEqual("webhook", s.Value!["Properties"]!["Protocol"]!.GetValue<string>()));
        Assert.DoesNotContain(Resources, r => r.Key.StartsWith("Undelivered", StringComparison.Ordinal) && r.Key.Contains("Example", StringComparison.Ordinal));
        Assert.Equal(4, OfType(Resources, "AWS::SQS::Queue").Count(q => q.Key.StartsWith("Webhook", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_local_webhook_is_left_out_of_the_stack_with_a_warning()
    {
        Assert.DoesNotContain(Resources, r => r.Key.Contains("Demo", StringComparison.Ordinal));
        Assert.DoesNotContain("localhost", StackTemplate.ToJson(Template), StringComparison.Ordinal);
        var warning = Assert.Single(StackTemplate.Warnings(Definition));
        Assert.Contains("'demo'", warning, StringComparison.Ordinal);
        Assert.Contains("left out", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_https_webhooks_there_is_no_function_no_mapping_and_no_table()
    {
        var onlyLocal = StackTemplate.Generate(StackTemplateTests.Definition(subscriptions:
            """, { "topic": "orders", "protocol": "webhook", "id": "demo", "endpoint": "http://127.0.0.1:5080/hooks" }"""));
        var resources = onlyLocal[nameof(Resources)]!.AsObject();

        Assert.DoesNotContain(resources, r => r.Key.StartsWith("Webhook", StringComparison.Ordinal));
        Assert.Empty(OfType(resources, "AWS::DynamoDB::Table"));
        Assert.Single(OfType(resources, "AWS::Lambda::EventSourceMapping")); // the stream's
        Assert.Null(onlyLocal["Parameters"]!["WebhookDeliveryReservedConcurrency"]);
        Assert.Empty(StackTemplate.Warnings(StackTemplateTests.Definition()));
    }

    [Fact]
    public void The_attempts_and_endpoints_tables_have_the_shared_keys_ttl_recovery_and_encryption_and_are_kept()
    {
        var attempts = Properties("WebhookAttemptsTable");
        Assert.Equal("shop-events-webhook-attempts", attempts["TableName"]!.GetValue<string>());
        Assert.Equal("""[{"AttributeName":"pk","KeyType":"HASH"},{"AttributeName":"sk","KeyType":"RANGE"}]""", attempts["KeySchema"]!.ToJsonString());
        Assert.Equal("expiresAt", attempts["TimeToLiveSpecification"]!["AttributeName"]!.GetValue<string>());
        var endpoints = Properties("WebhookEndpointsTable");
        Assert.Equal("shop-events-webhook-endpoints", endpoints["TableName"]!.GetValue<string>());
        Assert.Equal("""[{"AttributeName":"id","KeyType":"HASH"}]""", endpoints["KeySchema"]!.ToJsonString());
        Assert.Equal("expiresAt", endpoints["TimeToLiveSpecification"]!["AttributeName"]!.GetValue<string>());
        foreach (var table in new[] { attempts, endpoints })
        {
            Assert.Equal("PAY_PER_REQUEST", table["BillingMode"]!.GetValue<string>());
            Assert.True(table["PointInTimeRecoverySpecification"]!["PointInTimeRecoveryEnabled"]!.GetValue<bool>());
            Assert.True(table["SSESpecification"]!["SSEEnabled"]!.GetValue<bool>());
        }

        Assert.All(OfType(Resources, "AWS::DynamoDB::Table").Concat(OfType(Resources, "AWS::SQS::Queue")), r =>
        {
            Assert.Equal("RetainExceptOnCreate", r.Value!["DeletionPolicy"]!.GetValue<string>());
            Assert.Equal("Retain", r.Value!["UpdateReplacePolicy"]!.GetValue<string>());
        });
    }

    [Fact]
    public void The_delivery_function_is_built_like_the_others_and_told_its_tables_and_alerts_topic()
    {
        var function = Properties("WebhookDeliveryFunction");
        var ingestion = Properties("IngestionFunction");

        Assert.Equal("${CodeKeyPrefix}pubsub-webhook-delivery-${Architecture}.zip", function["Code"]!["S3Key"]!["Fn::Sub"]!.GetValue<string>());
        foreach (var same in new[] { "Runtime", "Architectures", "TracingConfig" })
        {
            Assert.Equal(ingestion[same]!.ToJsonString(), function[same]!.ToJsonString());
        }

        Assert.Equal("webhook-delivery", function["Handler"]!.GetValue<string>());
        Assert.Equal("WebhookDeliveryFunctionLogGroup", function["LoggingConfig"]!["LogGroup"]!["Ref"]!.GetValue<string>());
        Assert.Equal("/aws/lambda/${AWS::StackName}-webhook-delivery", Properties("WebhookDeliveryFunctionLogGroup")["LogGroupName"]!["Fn::Sub"]!.GetValue<string>());
        var variables = function["Environment"]!["Variables"]!;
        Assert.Equal("WebhookAttemptsTable", variables["PUBSUB_WEBHOOK_ATTEMPTS_TABLE"]!["Ref"]!.GetValue<string>());
        Assert.Equal("WebhookEndpointsTable", variables["PUBSUB_WEBHOOK_ENDPOINTS_TABLE"]!["Ref"]!.GetValue<string>());
        Assert.Equal("TopicAlerts", variables["PUBSUB_ALERTS_TOPIC_ARN"]!["Ref"]!.GetValue<string>());
        Assert.Null(variables["AWS_REGION"]); // reserved: Lambda sets it
        Assert.Equal("WebhookDeliveryFunction", Template["Outputs"]!["WebhookDeliveryFunctionName"]!["Value"]!["Ref"]!.GetValue<string>());
        Assert.Contains(Resources, r => r.Key == "WebhookDeliveryFunctionErrorsAlarm");
    }

    [Fact]
    public void The_delivery_function_finds_the_alerts_topics_arn_in_its_environment_since_its_role_may_not_list_topics()
    {
        // Read as Lambda's FunctionSettings reads them; the stack's Sub values are taken as written.
        var variables = Properties("WebhookDeliveryFunction")["Environment"]!["Variables"]!.AsObject();
        var settings = FunctionSettings.FromEnvironment(name => name == "AWS_REGION" ? "eu-west-1" : variables[name] switch
        {
            JsonValue value => value.GetValue<string>(),
            JsonObject node when node["Fn::Sub"] is JsonValue sub => sub.GetValue<string>(),
            _ => null,
        });
        var alerts = settings.Definition.AlertsTopic!;

        // Without it the alerts topic is looked up with ListTopics, which the role does not grant: every alert (a 410's
        // disabling, an opened circuit, a dead letter) would fail to publish in AWS.
        Assert.True(settings.TopicArns.TryGetValue(alerts, out var arn), $"no ARN for the alerts topic '{alerts}'");
        Assert.Equal("arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:" + alerts, arn);
    }

    [Fact]
    public void The_delivery_role_reaches_only_its_queues_tables_secrets_and_the_alerts_topic()
    {
        var statements = Properties("WebhookDeliveryFunctionRole")["Policies"]![0]!["PolicyDocument"]!["Statement"]!.AsArray();
        static string Resource(JsonNode? r) => r is JsonValue value ? value.GetValue<string>()
            : r!["Fn::GetAtt"]?[0]?.GetValue<string>() ?? r["Ref"]?.GetValue<string>() ?? r["Fn::Sub"]!.GetValue<string>();
        var grants = statements.SelectMany(s => s!["Action"]!.AsArray().SelectMany(a => s["Resource"]!.AsArray()
            .Select(r => (Action: a!.GetValue<string>(), Resource: Resource(r))))).ToList();
        string[] OnResource(string resource) => [.. grants.Where(g => g.Resource == resource).Select(g => g.Action).Order(StringComparer.Ordinal)];

        Assert.Equal(["sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:GetQueueUrl", "sqs:ReceiveMessage"], OnResource("WebhookBillingQueue"));
        Assert.Equal(OnResource("WebhookBillingQueue"), OnResource("WebhookCrmQueue"));
        Assert.Equal(["sqs:GetQueueUrl", "sqs:SendMessage"], OnResource("WebhookCrmDeadLetterQueue"));
        Assert.Equal(["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem"], OnResource("WebhookAttemptsTable"));
        Assert.Equal(["sns:Publish"], OnResource("TopicAlerts"));
        Assert.Equal(["ssm:GetParameter"], OnResource("arn:${AWS::Partition}:ssm:${AWS::Region}:${AWS::AccountId}:parameter/shop/webhooks/billing/secret"));
        Assert.Equal(2, grants.Count(g => g.Action == "ssm:GetParameter"));
        Assert.Equal(["xray:PutTelemetryRecords", "xray:PutTraceSegments"], OnResource("*"));
        Assert.DoesNotContain(grants, g => g.Action.EndsWith('*') || g.Action is "dynamodb:Scan" or "dynamodb:DeleteItem" or "sqs:SendMessage" && g.Resource.EndsWith("Queue", StringComparison.Ordinal) && !g.Resource.EndsWith("DeadLetterQueue", StringComparison.Ordinal));
        Assert.DoesNotContain(grants, g => g.Resource.Contains("Undelivered", StringComparison.Ordinal) || g.Resource == "EventsTable" || g.Resource == "TopicOrders");

        // The secrets' key only through SSM in this region.
        var decrypt = statements.Single(s => s!["Condition"] is not null)!;
        Assert.Equal("""["kms:Decrypt"]""", decrypt["Action"]!.ToJsonString());
        Assert.Equal("ssm.${AWS::Region}.amazonaws.com", decrypt["Condition"]!["StringEquals"]!["kms:ViaService"]!["Fn::Sub"]!.GetValue<string>());
    }

    [Fact]
    public void Each_webhook_queue_has_a_mapping_with_partial_batch_responses_and_a_concurrency_for_its_rate()
    {
        var mappings = OfType(Resources, "AWS::Lambda::EventSourceMapping").Where(m => m.Key.StartsWith("Webhook", StringComparison.Ordinal)).ToList();

        Assert.Equal(2, mappings.Count);
        Assert.All(mappings, m =>
        {
            var properties = m.Value!["Properties"]!;
            Assert.Equal("WebhookDeliveryFunction", properties["FunctionName"]!["Ref"]!.GetValue<string>());
            Assert.Equal("""["ReportBatchItemFailures"]""", properties["FunctionResponseTypes"]!.ToJsonString());
            Assert.Equal(10, properties["BatchSize"]!.GetValue<int>());
            Assert.Equal(0, properties["MaximumBatchingWindowInSeconds"]!.GetValue<int>());
        });
        Assert.Equal("WebhookBillingQueue", Properties("WebhookBillingEventSourceMapping")["EventSourceArn"]!["Fn::GetAtt"]![0]!.GetValue<string>());
        Assert.Equal(2, Properties("WebhookBillingEventSourceMapping")["ScalingConfig"]!["MaximumConcurrency"]!.GetValue<int>()); // 50/s: Lambda's least
        Assert.Equal(8, Properties("WebhookCrmEventSourceMapping")["ScalingConfig"]!["MaximumConcurrency"]!.GetValue<int>()); // 200/s
    }

    [Fact]
    public void A_webhook_dead_letter_queue_alarms_to_the_alerts_topic_saying_how_to_replay()
    {
        var alarm = Properties("WebhookBillingDeadLetterQueueAlarm");
        var description = alarm["AlarmDescription"]!.GetValue<string>();

        Assert.Equal("TopicAlerts", alarm["AlarmActions"]![0]!["Ref"]!.GetValue<string>());
        Assert.Contains("pubsub dlq replay webhook-billing", description, StringComparison.Ordinal);
        Assert.Contains("start-message-move-task", description, StringComparison.Ordinal);
        var longest = StackTemplate.WebhookAdvice(new SubscriptionDefinition("t", "webhook", "https://" + new string('h', 2000), Id: new string('i', 40)));
        Assert.True($"Messages wait in this dead-letter queue. {longest}".Length <= 1024, "CloudWatch allows 1024 characters of alarm description");
    }

    [Fact]
    public void The_dashboard_shows_attempts_by_outcome_latency_and_the_webhook_queues()
    {
        var body = JsonNode.Parse(Properties("Dashboard")["DashboardBody"]!["Fn::Sub"]!.GetValue<string>())!;
        var titles = body["widgets"]!.AsArray().Select(w => w!["properties"]!["title"]!.GetValue<string>()).ToList();
        var text = body.ToJsonString();

        Assert.Contains("Webhooks: attempts by outcome", titles);
        Assert.Contains(titles, t => t.StartsWith("Webhooks: attempt latency", StringComparison.Ordinal));
        Assert.Contains("Webhooks: dead-letter queue depths", titles);
        Assert.Contains("${WebhookCrmDeadLetterQueue.QueueName}", text, StringComparison.Ordinal);
        Assert.Contains("pubsub.webhook.attempts", text, StringComparison.Ordinal);
        Assert.Contains(titles, t => t.Contains("WebhookDeliveryFunction", StringComparison.Ordinal) || t.StartsWith("Functions: errors", StringComparison.Ordinal));
        Assert.Contains("${WebhookDeliveryFunction}", text, StringComparison.Ordinal);
    }

    /// <summary>A search matches metrics of exactly the dimensions it names: each one on the dashboard over the stack's
    /// namespace must name a dimension set the functions write (<see cref="PubSub.Functions.Metrics.EmbeddedMetricCatalog"/>).</summary>
    [Fact]
    public void The_dashboards_searches_read_the_dimension_sets_the_delivery_function_writes()
    {
        var body = JsonNode.Parse(Properties("Dashboard")["DashboardBody"]!["Fn::Sub"]!.GetValue<string>())!;
        var searches = body["widgets"]!.AsArray().SelectMany(w => w!["properties"]!["metrics"]!.AsArray())
            .Select(m => m![0]).OfType<JsonObject>().Select(e => e["expression"]!.GetValue<string>())
            .Select(e => SearchOfOurs().Match(e)).Where(m => m.Success)
            .Select(m => (Metric: m.Groups[2].Value, Dimensions: m.Groups[1].Value.Split(',').Order(StringComparer.Ordinal).ToArray()))
            .ToList();
        var named = searches.Select(x => $"{x.Metric} [{string.Join(", ", x.Dimensions)}]").ToList();

        Assert.Contains("pubsub.webhook.attempts [outcome]", named);
        Assert.Contains("pubsub.webhook.attempts [outcome, subscription]", named);
        Assert.Contains("pubsub.webhook.attempt.duration [subscription]", named);
        Assert.All(searches, search =>
        {
            Assert.True(PubSub.Functions.Metrics.EmbeddedMetricCatalog.ByName.TryGetValue(search.Metric, out var written), search.Metric);
            Assert.Contains(written.DimensionSets, set => set.Order(StringComparer.Ordinal).SequenceEqual(search.Dimensions));
        });
    }

    /// <summary>A search over the stack's namespace: its dimensions (group 1) and metric (group 2).</summary>
    [GeneratedRegex("""SEARCH\('\{"PubSub/\$\{AWS::StackName\}",([^}]+)\} MetricName="([^"]+)""")]
    private static partial Regex SearchOfOurs();

    [Fact]
    public void Past_200_webhooks_the_queue_graphs_become_a_search()
    {
        var many = string.Concat(Enumerable.Range(0, 201).Select(i =>
            $$""", { "topic": "orders", "protocol": "webhook", "id": "w{{i:D3}}", "endpoint": "https://h{{i}}.example.com/" }"""));
        var template = StackTemplate.Generate(StackTemplateTests.Definition(subscriptions: many));
        var body = JsonNode.Parse(template[nameof(Resources)]!["Dashboard"]!["Properties"]!["DashboardBody"]!["Fn::Sub"]!.GetValue<string>())!;

        var depths = Assert.Single(body["widgets"]!.AsArray(), w => w!["properties"]!["title"]!.GetValue<string>().StartsWith("Webhooks: dead-letter", StringComparison.Ordinal))!;
        Assert.Equal("Webhooks: dead-letter queue depths: the 50 highest of 201", depths["properties"]!["title"]!.GetValue<string>());
        Assert.Equal("""SORT(SEARCH('{AWS/SQS,QueueName} MetricName="ApproximateNumberOfMessagesVisible" "shop-webhook-" dlq', 'Maximum', 300), MAX, DESC, 50)""",
            depths["properties"]!["metrics"]![0]![0]!["expression"]!.GetValue<string>());
        Assert.All(body["widgets"]!.AsArray(), w => Assert.InRange(w!["properties"]!["metrics"]!.AsArray().Count, 1, StackTemplate.MaxMetricsPerGraph));
        Assert.DoesNotContain("W200DeadLetterQueue.QueueName", body.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public void The_jwks_document_is_a_keyless_get_answered_by_a_mock_from_a_parameter()
    {
        var method = Properties("JwksGetMethod");
        var parameter = Template["Parameters"]!["WebhookJwks"]!;

        Assert.Equal("GET", method["HttpMethod"]!.GetValue<string>());
        Assert.False(method["ApiKeyRequired"]!.GetValue<bool>());
        Assert.Equal("MOCK", method["Integration"]!["Type"]!.GetValue<string>());
        var answer = method["Integration"]!["IntegrationResponses"]![0]!;
        Assert.Equal("WebhookJwks", answer["ResponseTemplates"]!["application/json"]!["Ref"]!.GetValue<string>());
        Assert.Equal("'application/jwk-set+json'", answer["ResponseParameters"]!["method.response.header.Content-Type"]!.GetValue<string>());
        Assert.Equal("jwks.json", Properties("JwksResource")["PathPart"]!.GetValue<string>());
        Assert.Equal(".well-known", Properties("WellKnownResource")["PathPart"]!.GetValue<string>());
        var deployment = Resources.Single(r => r.Key.StartsWith("ApiDeployment", StringComparison.Ordinal)).Value!;
        Assert.Contains("JwksGetMethod", deployment["DependsOn"]!.AsArray().Select(d => d!.GetValue<string>()));

        // The document is a mapping template: a VTL directive or reference in it is refused.
        var pattern = new Regex(parameter["AllowedPattern"]!.GetValue<string>());
        Assert.Matches(pattern, parameter["Default"]!.GetValue<string>());
        Assert.Matches(pattern, """{"keys":[{"kty":"OKP","crv":"Ed25519","x":"11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo","kid":"a-b_c","use":"sig","alg":"EdDSA"}]}""");
        Assert.DoesNotMatch(pattern, """{"keys":[],"x":"$context.identity.sourceIp"}""");
        Assert.DoesNotMatch(pattern, """{"keys":[]}#set($a = 1)""");
    }

    [Fact]
    public async Task Cfn_lint_passes_the_stack_with_two_https_webhooks()
    {
        if (ExecutableSearch.OnPath("cfn-lint") is null)
        {
            output.WriteLine("cfn-lint is not on PATH: eng/cfn-lint.sh did not run.");
            return;
        }

        var folder = Directory.CreateTempSubdirectory("pubsub-cfn-webhooks-").FullName;
        try
        {
            var file = Path.Combine(folder, "webhooks.template.json");
            File.WriteAllText(file, StackTemplate.ToJson(Template));
            var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            start.ArgumentList.Add(Path.Combine(EmulatorInstallation.Locate().RepositoryRoot, "eng", "cfn-lint.sh"));
            start.ArgumentList.Add(file);
            using var process = Process.Start(start)!;
            var stdout = process.StandardOutput.ReadToEndAsync();
            var stderr = await process.StandardError.ReadToEndAsync();
            await process.WaitForExitAsync();
            output.WriteLine(await stdout + stderr);

            Assert.True(process.ExitCode == 0, await stdout + stderr);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }
}
