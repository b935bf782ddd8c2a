using System.Text.Json.Nodes;
using PubSub.Aws;
using PubSub.Definition;

namespace PubSub.CloudFormation.Generation;

public sealed partial class StackTemplate
{
    private const string WebhookDeliveryFunction = "WebhookDeliveryFunction";
    private const string WebhookDeliveryHandler = "webhook-delivery";
    private const string WebhookAttemptsTable = "WebhookAttemptsTable";
    private const string WebhookEndpointsTable = "WebhookEndpointsTable";

    /// <summary>The environment the webhook delivery function reads, besides the log level and metrics namespace all
    /// functions get. The region is Lambda's own <c>AWS_REGION</c> (reserved: a function cannot set it).</summary>
    internal const string AttemptsTableVariable = "PUBSUB_WEBHOOK_ATTEMPTS_TABLE";
    internal const string EndpointsTableVariable = "PUBSUB_WEBHOOK_ENDPOINTS_TABLE";
    internal const string AlertsTopicArnVariable = "PUBSUB_ALERTS_TOPIC_ARN";

    /// <summary>The webhook subscriptions the stack delivers: those with an https endpoint. One to
    /// <c>http://localhost</c> is for local runs and left out (<see cref="Warnings"/>).</summary>
    private IReadOnlyList<SubscriptionDefinition> Webhooks =>
        [.. _definition.Subscriptions.Where(s => s.IsWebhook && !IsLocalWebhook(s))];

    private static bool IsLocalWebhook(SubscriptionDefinition s) =>
        s.IsWebhook && Uri.TryCreate(s.Endpoint, UriKind.Absolute, out var url) && url.Scheme != Uri.UriSchemeHttps;

    /// <summary>What <c>pubsub cfn generate</c> prints: the parts of the definition the stack leaves out.</summary>
    public static IReadOnlyList<string> Warnings(SystemDefinition definition) =>
    [
        .. definition.Subscriptions.Where(IsLocalWebhook).Select(s =>
            $"webhook subscription '{s.Id}' ({s.Endpoint}) is for local runs: left out of the stack (AWS delivers to https endpoints only)"),
    ];

    private static string WebhookId(string id, string suffix) => LogicalIds.Of("Webhook", id, suffix);

    /// <summary>Per webhook subscription: its DLQ (alarmed), its queue (redriven to the DLQ), the raw SNS subscription
    /// with its filter policy and the queues' policy; then the attempts and endpoints tables, the delivery function and
    /// one event source mapping per queue. Nothing when the definition has no https webhook.</summary>
    private void AddWebhooks()
    {
        var webhooks = Webhooks;
        if (webhooks.Count == 0)
        {
            return;
        }

        foreach (var webhook in webhooks)
        {
            AddWebhookQueues(webhook);
        }

        AddWebhookTables();
        AddWebhookDeliveryFunction(webhooks);
    }

    private void AddWebhookQueues(SubscriptionDefinition webhook)
    {
        var id = webhook.Id!;
        var dlq = WebhookId(id, "DeadLetterQueue");
        var queue = WebhookId(id, "Queue");
        Queue(dlq, WebhookNames.DeadLetterQueue(_definition, id), WebhookAdvice(webhook));
        Resource(queue, "AWS::SQS::Queue", new JsonObject
        {
            ["QueueName"] = WebhookNames.Queue(_definition, id),
            ["MessageRetentionPeriod"] = (int)WebhookQueues.Retention.TotalSeconds,
            ["VisibilityTimeout"] = (int)WebhookQueues.VisibilityTimeout.TotalSeconds,
            ["RedrivePolicy"] = new JsonObject
            {
                ["deadLetterTargetArn"] = Fn.GetAtt(dlq, "Arn"),
                ["maxReceiveCount"] = WebhookQueues.MaxReceiveCount,
            },
            ["KmsMasterKeyId"] = Fn.GetAtt(Key, "Arn"),
            ["KmsDataKeyReusePeriodSeconds"] = 300,
        }, retain: true);

        // Raw: the event is what is signed and sent. What SNS cannot put on the queue goes to the webhook's DLQ,
        // so that one replay covers both.
        var topic = TopicId(webhook.Topic);
        var subscription = new JsonObject
        {
            ["TopicArn"] = Fn.Ref(topic),
            ["Protocol"] = "sqs",
            ["Endpoint"] = Fn.GetAtt(queue, "Arn"),
            ["RawMessageDelivery"] = true,
            ["RedrivePolicy"] = new JsonObject { ["deadLetterTargetArn"] = Fn.GetAtt(dlq, "Arn") },
        };
        if (webhook.FilterPolicy is { } filter)
        {
            subscription["FilterPolicy"] = JsonNode.Parse(filter.GetRawText());
            subscription["FilterPolicyScope"] = webhook.FilterPolicyScope ?? "MessageAttributes";
        }

        Resource(WebhookId(id, "Subscription"), "AWS::SNS::Subscription", subscription);
        Resource(WebhookId(id, "QueuePolicy"), "AWS::SQS::QueuePolicy", new JsonObject
        {
            ["Queues"] = Fn.List(Fn.Ref(queue), Fn.Ref(dlq)),
            ["PolicyDocument"] = Fn.PolicyDocument(new JsonObject
            {
                ["Sid"] = "TopicSends",
                ["Effect"] = "Allow",
                ["Principal"] = new JsonObject { ["Service"] = "sns.amazonaws.com" },
                ["Action"] = "sqs:SendMessage",
                ["Resource"] = Fn.List(Fn.GetAtt(queue, "Arn"), Fn.GetAtt(dlq, "Arn")),
                ["Condition"] = new JsonObject { ["ArnEquals"] = new JsonObject { ["aws:SourceArn"] = Fn.Ref(topic) } },
            }),
        });
    }

    /// <summary>What to do about a webhook's dead letters (kept under CloudWatch's 1024 characters).</summary>
    internal static string WebhookAdvice(SubscriptionDefinition webhook) =>
        $"Events for webhook {webhook.Id} ({Truncate(webhook.Endpoint, 200)}) that failed their last attempt (about 47 h of retries) or came while the endpoint was disabled; " +
        $"the attempts table says why (pubsub events get ID). Once the endpoint answers (pubsub webhooks enable {webhook.Id} if disabled), " +
        $"replay: pubsub dlq replay webhook-{webhook.Id} (a new series of attempts each). " +
        "Messages redriven as they were (a CloudEvent body) it skips: aws sqs start-message-move-task --source-arn (this queue's ARN) --destination-arn (the webhook queue's). " +
        "Receivers deduplicate on webhook-id.";

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length] + "...";

    /// <summary>The attempts (one item per attempt, expiring with <c>expiresAt</c>) and endpoints (state per subscription)
    /// tables, encrypted and recoverable to any second of the last 35 days as the events table is; kept when the stack goes.</summary>
    private void AddWebhookTables()
    {
        JsonObject Table(string name, params (string Name, string KeyType)[] keys) => new()
        {
            ["TableName"] = name,
            ["BillingMode"] = "PAY_PER_REQUEST",
            ["AttributeDefinitions"] = Fn.List([.. keys.Select(k => (JsonNode?)new JsonObject { ["AttributeName"] = k.Name, ["AttributeType"] = "S" })]),
            ["KeySchema"] = Fn.List([.. keys.Select(k => (JsonNode?)new JsonObject { ["AttributeName"] = k.Name, ["KeyType"] = k.KeyType })]),
            ["PointInTimeRecoverySpecification"] = new JsonObject { ["PointInTimeRecoveryEnabled"] = true },
            ["SSESpecification"] = new JsonObject { ["SSEEnabled"] = true, ["SSEType"] = "KMS" },
        };

        var attempts = Table(WebhookNames.AttemptsTable(_definition),
            (WebhookTables.AttemptsPartitionKey, "HASH"), (WebhookTables.AttemptsSortKey, "RANGE"));
        attempts["TimeToLiveSpecification"] = new JsonObject { ["AttributeName"] = WebhookTables.ExpiresAt, ["Enabled"] = true };
        Resource(WebhookAttemptsTable, "AWS::DynamoDB::Table", attempts, retain: true);
        // The ordered keys' items (ordering: partitionkey) expire; the circuits' items carry no expiresAt and stay.
        var endpoints = Table(WebhookNames.EndpointsTable(_definition), (WebhookTables.EndpointsKey, "HASH"));
        endpoints["TimeToLiveSpecification"] = new JsonObject { ["AttributeName"] = WebhookTables.ExpiresAt, ["Enabled"] = true };
        Resource(WebhookEndpointsTable, "AWS::DynamoDB::Table", endpoints, retain: true);
    }

    /// <summary>The delivery function, with a role that reaches only its queues, DLQs, tables, secrets and the alerts topic,
    /// and one event source mapping per webhook queue.</summary>
    private void AddWebhookDeliveryFunction(IReadOnlyList<SubscriptionDefinition> webhooks)
    {
        Parameter("WebhookDeliveryReservedConcurrency", "Number", "Concurrency reserved for the webhook delivery function; 0 reserves none.", 0);
        Condition("HasWebhookDeliveryReservedConcurrency", Fn.Not(Fn.Equals(Fn.Ref("WebhookDeliveryReservedConcurrency"), 0)));

        JsonNode?[] Each(string suffix, string attribute) => [.. webhooks.Select(w => (JsonNode?)Fn.GetAtt(WebhookId(w.Id!, suffix), attribute))];
        var tableActions = new[] { "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:Query" };
        var statements = new List<JsonNode>
        {
            // The mapping's poller uses the function's role: receive, delete and read the queue's attributes; the core
            // hides a message for its next attempt.
            Fn.Allow(["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility", "sqs:GetQueueAttributes", "sqs:GetQueueUrl"],
                Each("Queue", "Arn")),
            Fn.Allow(["sqs:SendMessage", "sqs:GetQueueUrl"], Each("DeadLetterQueue", "Arn")),
            Fn.Allow(tableActions, Fn.GetAtt(WebhookAttemptsTable, "Arn"), Fn.GetAtt(WebhookEndpointsTable, "Arn")),
            Fn.Allow(["ssm:GetParameter"], [.. webhooks.Select(w => (JsonNode?)Fn.Sub(
                $"arn:${{AWS::Partition}}:ssm:${{AWS::Region}}:${{AWS::AccountId}}:parameter{WebhookNames.SecretParameter(_definition, w.Id!)}"))]),
            SecretKeyDecrypt(),
            Fn.Allow(["kms:GenerateDataKey", "kms:Decrypt"], Fn.GetAtt(Key, "Arn")), // the queues and the alerts topic
            Fn.Allow(["xray:PutTraceSegments", "xray:PutTelemetryRecords"], "*"),
        };
        var environment = new JsonObject
        {
            ["PUBSUB_EVENTS_TABLE"] = _definition.Events.Table,
            // FunctionSettings makes the topics' ARNs (the alerts topic's among them) from it: the role may not ListTopics.
            ["PUBSUB_TOPIC_ARN_PREFIX"] = TopicArnPrefix,
            [AttemptsTableVariable] = Fn.Ref(WebhookAttemptsTable),
            [EndpointsTableVariable] = Fn.Ref(WebhookEndpointsTable),
            ["PUBSUB_LOG_LEVEL"] = Fn.Ref("LogLevel"),
            ["PUBSUB_METRICS_NAMESPACE"] = Fn.Sub(MetricsNamespace),
        };
        if (AlertsTopicId is { } alerts)
        {
            statements.Add(Fn.Allow(["sns:Publish"], Fn.Ref(alerts)));
            environment[AlertsTopicArnVariable] = Fn.Ref(alerts);
        }

        Function(WebhookDeliveryFunction, WebhookDeliveryHandler, "Delivers webhook subscriptions' events, signed, to their endpoints.", 256,
            (int)AwsTimeouts.WebhookInvocation.TotalSeconds,
            "WebhookDeliveryReservedConcurrency", "HasWebhookDeliveryReservedConcurrency", statements, environment);

        // Batches of 10 at once (no batching window: the first attempt is immediate); partial batch responses keep on the
        // queue only what waits for a retry. The maximum concurrency follows the rate limit (WebhookQueues.MaximumConcurrency):
        // the rate limiter is per process, and pollers never take batches the function may not run.
        foreach (var webhook in webhooks)
        {
            Resource(WebhookId(webhook.Id!, "EventSourceMapping"), "AWS::Lambda::EventSourceMapping", new JsonObject
            {
                ["EventSourceArn"] = Fn.GetAtt(WebhookId(webhook.Id!, "Queue"), "Arn"),
                ["FunctionName"] = Fn.Ref(WebhookDeliveryFunction),
                ["BatchSize"] = WebhookQueues.BatchSize,
                ["MaximumBatchingWindowInSeconds"] = 0,
                ["FunctionResponseTypes"] = Fn.Strings(["ReportBatchItemFailures"]),
                ["ScalingConfig"] = new JsonObject { ["MaximumConcurrency"] = WebhookQueues.MaximumConcurrency(webhook) },
                ["Enabled"] = true,
            });
        }

        Output("WebhookDeliveryFunctionName", $"The webhook delivery function (its logs: /aws/lambda/STACK-{WebhookDeliveryHandler}).", Fn.Ref(WebhookDeliveryFunction));
    }

    /// <summary>Decrypting the secrets' SecureString parameters, only through SSM in this region: the key is the account's
    /// aws/ssm key or one the operator chose when creating the parameter.</summary>
    private static JsonObject SecretKeyDecrypt()
    {
        var statement = Fn.Allow(["kms:Decrypt"], Fn.Sub("arn:${AWS::Partition}:kms:${AWS::Region}:${AWS::AccountId}:key/*"));
        statement["Condition"] = new JsonObject { ["StringEquals"] = new JsonObject { ["kms:ViaService"] = Fn.Sub("ssm.${AWS::Region}.amazonaws.com") } };
        return statement;
    }

    /// <summary>Webhook delivery on the dashboard: attempts by outcome, in all and per subscription, attempt latency, and
    /// per webhook its DLQ's depth and its queue's oldest message. The delivery metrics (tags subscription, outcome) are
    /// read by search expressions, so a subscription without traffic draws nothing and the body does not grow with the
    /// definition; past <see cref="MaxGraphsPerSet"/> graphs of queues, one graph of the highest by a search instead (a
    /// stack's 500 resources hold about 70 webhooks, so that is for a definition split over stacks by hand).</summary>
    private IEnumerable<JsonObject> WebhookWidgets()
    {
        var webhooks = Webhooks;
        if (webhooks.Count == 0)
        {
            yield break;
        }

        var schema = $"\"{MetricsNamespace}\"";
        yield return Widget("Webhooks: attempts by outcome", "Sum",
            [Expression("outcomes", $"SEARCH('{{{schema},outcome}} MetricName=\"pubsub.webhook.attempts\"', 'Sum', 300)")]);
        yield return Widget($"Webhooks: attempts by subscription and outcome (the {MaxMetricsPerGraph} highest)", "Sum",
            [Expression("attempts", $"SORT(SEARCH('{{{schema},outcome,subscription}} MetricName=\"pubsub.webhook.attempts\"', 'Sum', 300), SUM, DESC, {MaxMetricsPerGraph})")]);
        yield return Widget($"Webhooks: attempt latency by subscription (p99, seconds; the {MaxMetricsPerGraph} slowest)", "p99",
            [Expression("latency", $"SORT(SEARCH('{{{schema},subscription}} MetricName=\"pubsub.webhook.attempt.duration\"', 'p99', 300), MAX, DESC, {MaxMetricsPerGraph})")]);

        foreach (var (title, metric, suffix) in new[]
        {
            ("Webhooks: dead-letter queue depths", "ApproximateNumberOfMessagesVisible", "DeadLetterQueue"),
            ("Webhooks: oldest message waiting (seconds)", "ApproximateAgeOfOldestMessage", "Queue"),
        })
        {
            if (webhooks.Count > MaxMetricsPerGraph * MaxGraphsPerSet)
            {
                // The queues' names have the definition's "NAME-webhook-" in common; "dlq" ends the DLQs' (SEARCH matches tokens).
                var queues = $"\"{_definition.Name}-webhook-\"" + (suffix == "Queue" ? " NOT dlq" : " dlq");
                yield return Widget($"{title}: the {MaxMetricsPerGraph} highest of {webhooks.Count}", "Maximum",
                    [Expression("queues", $"SORT(SEARCH('{{AWS/SQS,QueueName}} MetricName=\"{metric}\" {queues}', 'Maximum', 300), MAX, DESC, {MaxMetricsPerGraph})")]);
                continue;
            }

            var parts = webhooks.Chunk(MaxMetricsPerGraph).ToList();
            for (var i = 0; i < parts.Count; i++)
            {
                yield return Widget(parts.Count == 1 ? title : $"{title} ({i + 1} of {parts.Count})", "Maximum",
                    [.. parts[i].Select(w => Metric("AWS/SQS", metric, ["QueueName", $"${{{WebhookId(w.Id!, suffix)}.QueueName}}"], label: w.Id))]);
            }
        }
    }
}
