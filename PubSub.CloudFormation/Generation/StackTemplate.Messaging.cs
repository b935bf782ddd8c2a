using System.Text.Json.Nodes;

namespace PubSub.CloudFormation.Generation;

public sealed partial class StackTemplate
{
    private const string IngestionDlq = "IngestionDeadLetterQueue";
    private const string PublishDlq = "PublishDeadLetterQueue";
    private const string StreamFailures = "StreamFailureQueue";
    private const int FourteenDays = 1_209_600;

    /// <summary>Every queue that gets an alarm when messages wait in it: (logical id, what to do about it).</summary>
    private readonly List<(string Id, string Advice)> _deadLetterQueues = [];

    private static string TopicId(string topic) => LogicalIds.Of("Topic", topic);

    private string? AlertsTopicId => _definition.AlertsTopic is { } alerts ? TopicId(alerts) : null;

    private void AddTopics()
    {
        foreach (var topic in _definition.Topics)
        {
            var properties = new JsonObject
            {
                ["TopicName"] = topic.Name,
                ["KmsMasterKeyId"] = Fn.GetAtt(Key, "Arn"),
            };
            if (topic.IsFifo)
            {
                properties["FifoTopic"] = true;
                properties["ContentBasedDeduplication"] = false; // the stream publisher sends the event id as deduplication id
            }

            Resource(TopicId(topic.Name), "AWS::SNS::Topic", properties);
        }

        if (AlertsTopicId is { } alertsTopic)
        {
            // CloudWatch alarms and the EventBridge rule for Macie findings publish here.
            Resource("AlertsTopicPolicy", "AWS::SNS::TopicPolicy", new JsonObject
            {
                ["Topics"] = Fn.List(Fn.Ref(alertsTopic)),
                ["PolicyDocument"] = Fn.PolicyDocument(new JsonObject
                {
                    ["Sid"] = "AlarmsAndFindingsPublish",
                    ["Effect"] = "Allow",
                    ["Principal"] = new JsonObject { ["Service"] = Fn.Strings(["cloudwatch.amazonaws.com", "events.amazonaws.com"]) },
                    ["Action"] = "sns:Publish",
                    ["Resource"] = Fn.Ref(alertsTopic),
                    ["Condition"] = new JsonObject { ["StringEquals"] = new JsonObject { ["aws:SourceAccount"] = Fn.Ref("AWS::AccountId") } },
                }),
            });
            Resource("AlertEmailSubscription", "AWS::SNS::Subscription", new JsonObject
            {
                ["TopicArn"] = Fn.Ref(alertsTopic),
                ["Protocol"] = "email",
                ["Endpoint"] = Fn.Ref("AlertEmail"),
            }, condition: "HasAlertEmail");
        }
    }

    /// <summary>A dead-letter queue. Like every queue here it is kept when the stack is deleted or the queue
    /// replaced: what waits in it would be lost otherwise.</summary>
    private void Queue(string id, string name, string advice)
    {
        Resource(id, "AWS::SQS::Queue", new JsonObject
        {
            ["QueueName"] = name,
            ["MessageRetentionPeriod"] = FourteenDays,
            ["KmsMasterKeyId"] = Fn.GetAtt(Key, "Arn"),
            ["KmsDataKeyReusePeriodSeconds"] = 300,
        }, retain: true);
        _deadLetterQueues.Add((id, advice));
    }

    private void AddQueues()
    {
        Queue(IngestionDlq, _definition.DeadLetterQueues.Ingestion,
            "Events accepted while the events table refused writes. Replay: pubsub dlq replay ingestion");
        Queue(PublishDlq, _definition.DeadLetterQueues.Publish,
            "Events that could not be published to a topic (or archived). Replay: pubsub dlq replay publish");
        Queue(StreamFailures, $"{_definition.Name}-stream-failures",
            "Stream batches the stream publisher gave up on (the message names the shard and sequence range; the events are in the table). Replay: pubsub events replay --from --to");
    }

    /// <summary>The definition's example subscriptions. An SQS endpoint names a queue this stack creates;
    /// every subscription gets a dead-letter queue for what SNS cannot deliver; other protocols subscribe
    /// their endpoint as given.</summary>
    private void AddSubscriptions()
    {
        var senders = new Dictionary<string, List<string>>(StringComparer.Ordinal); // queue id -> topics that send to it
        foreach (var subscription in _definition.Subscriptions.Where(s => !s.IsWebhook)) // webhooks: AddWebhooks
        {
            var topic = TopicId(subscription.Topic);
            var fifo = _definition.Topics.Any(t => t.Name == subscription.Topic && t.IsFifo);
            var baseName = subscription.Endpoint.Replace(".fifo", "", StringComparison.Ordinal);
            var undeliveredId = LogicalIds.Of("Undelivered", subscription.Topic, LogicalIds.Of("To", baseName));
            var undeliveredName = $"{baseName}-{subscription.Topic.Replace(".fifo", "", StringComparison.Ordinal)}-undelivered{(fifo ? ".fifo" : "")}";
            SubscriberQueue(undeliveredId, undeliveredName, fifo);
            _deadLetterQueues.Add((undeliveredId, UndeliveredAdvice(subscription.Topic, subscription.Endpoint)));
            AddSender(senders, undeliveredId, topic);

            JsonNode endpoint = subscription.Endpoint;
            if (subscription.Protocol == "sqs")
            {
                var queueId = LogicalIds.Of("SubscriberQueue", baseName);
                if (!_resources.ContainsKey(queueId))
                {
                    SubscriberQueue(queueId, subscription.Endpoint, fifo);
                }

                endpoint = Fn.GetAtt(queueId, "Arn");
                AddSender(senders, queueId, topic);
            }

            var properties = new JsonObject
            {
                ["TopicArn"] = Fn.Ref(topic),
                ["Protocol"] = subscription.Protocol,
                ["Endpoint"] = endpoint,
                ["RedrivePolicy"] = new JsonObject { ["deadLetterTargetArn"] = Fn.GetAtt(undeliveredId, "Arn") },
            };
            if (subscription.RawMessageDelivery)
            {
                properties["RawMessageDelivery"] = true;
            }

            if (subscription.FilterPolicy is { } filter)
            {
                properties["FilterPolicy"] = JsonNode.Parse(filter.GetRawText());
                properties["FilterPolicyScope"] = subscription.FilterPolicyScope ?? "MessageAttributes";
            }

            Resource(LogicalIds.Of("Subscription", subscription.Topic, LogicalIds.Of("To", baseName)), "AWS::SNS::Subscription", properties);
        }

        // One policy per queue (a queue has one policy), naming every topic that sends to it.
        foreach (var (queueId, topics) in senders)
        {
            Resource(queueId + "Policy", "AWS::SQS::QueuePolicy", new JsonObject
            {
                ["Queues"] = Fn.List(Fn.Ref(queueId)),
                ["PolicyDocument"] = Fn.PolicyDocument(new JsonObject
                {
                    ["Sid"] = "TopicsSend",
                    ["Effect"] = "Allow",
                    ["Principal"] = new JsonObject { ["Service"] = "sns.amazonaws.com" },
                    ["Action"] = "sqs:SendMessage",
                    ["Resource"] = Fn.GetAtt(queueId, "Arn"),
                    ["Condition"] = new JsonObject { ["ArnEquals"] = new JsonObject { ["aws:SourceArn"] = new JsonArray([.. topics.Select(t => (JsonNode?)Fn.Ref(t))]) } },
                }),
            });
        }
    }

    private static void AddSender(Dictionary<string, List<string>> senders, string queueId, string topicId)
    {
        if (!senders.TryGetValue(queueId, out var topics))
        {
            senders[queueId] = topics = [];
        }

        if (!topics.Contains(topicId))
        {
            topics.Add(topicId);
        }
    }

    private void SubscriberQueue(string id, string name, bool fifo)
    {
        var properties = new JsonObject
        {
            ["QueueName"] = name,
            ["MessageRetentionPeriod"] = FourteenDays,
            ["KmsMasterKeyId"] = Fn.GetAtt(Key, "Arn"),
            ["KmsDataKeyReusePeriodSeconds"] = 300,
        };
        if (fifo)
        {
            properties["FifoQueue"] = true;
        }

        Resource(id, "AWS::SQS::Queue", properties, retain: true);
    }

    /// <summary>What to do about a subscription's dead letters. Not start-message-move-task: it moves messages
    /// back to the queue they were dead-lettered from, and these came from an SNS subscription, not a queue;
    /// nor pubsub dlq replay, which reads the ingestion and publish letters' own format.</summary>
    internal static string UndeliveredAdvice(string topic, string endpoint) =>
        $"Messages SNS could not deliver from {topic} to {endpoint} (see the topic's NumberOfNotificationsFailed and the endpoint's policy and key). " +
        "Once the endpoint takes messages again, republish the events: pubsub events replay --from --to (subscribers deduplicate by event id); " +
        "or by hand: aws sqs receive-message from this queue, send each body to the endpoint, then aws sqs delete-message.";
}
