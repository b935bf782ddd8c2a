using System.Text.Json.Nodes;

namespace PubSub.CloudFormation.Generation;

public sealed partial class StackTemplate
{
    /// <summary>An alarm for every dead-letter queue (the description says how to replay), for function
    /// errors and throttles, for the stream publisher falling behind and for API 5XX answers; all of them
    /// notify the alerts topic, and again when they clear.</summary>
    private void AddAlarms()
    {
        foreach (var (queue, advice) in _deadLetterQueues)
        {
            Alarm(queue + "Alarm", $"Messages wait in this dead-letter queue. {advice}", "AWS/SQS", "ApproximateNumberOfMessagesVisible", "Maximum",
                Fn.List(Dimension("QueueName", Fn.GetAtt(queue, "QueueName"))), 0);
        }

        foreach (var function in _functions)
        {
            var dimensions = Fn.List(Dimension("FunctionName", Fn.Ref(function)));
            Alarm(function + "ErrorsAlarm", "The function failed (an error or a timeout); see its log group.", "AWS/Lambda", "Errors", "Sum", dimensions, 0);
            Alarm(function + "ThrottlesAlarm", "The function was throttled: raise its reserved concurrency or the account limit.",
                "AWS/Lambda", "Throttles", "Sum", dimensions.DeepClone().AsArray(), 0);
        }

        Alarm("StreamIteratorAgeAlarm", "The stream publisher is falling behind the events table's stream.", "AWS/Lambda", "IteratorAge", "Maximum",
            Fn.List(Dimension("FunctionName", Fn.Ref(StreamPublisherFunction))), Fn.Ref("IteratorAgeAlarmMilliseconds"));
        Alarm("Api5xxAlarm", "The ingestion API answered 5XX: see the ingestion function's errors and the access log.", "AWS/ApiGateway", "5XXError", "Sum",
            Fn.List(Dimension("ApiName", Fn.Sub("${AWS::StackName}-ingestion")), Dimension("Stage", Fn.Ref(Stage))), 0);
    }

    private static JsonObject Dimension(string name, JsonNode value) => new() { ["Name"] = name, ["Value"] = value };

    private JsonObject Alarm(string id, string description, JsonNode metricNamespace, string metric, string statistic, JsonArray dimensions, JsonNode threshold)
    {
        var properties = new JsonObject
        {
            ["AlarmDescription"] = description,
            ["Namespace"] = metricNamespace,
            ["MetricName"] = metric,
            ["Dimensions"] = dimensions,
            ["Statistic"] = statistic,
            ["Period"] = 60,
            ["EvaluationPeriods"] = 1,
            ["Threshold"] = threshold,
            ["ComparisonOperator"] = "GreaterThanThreshold",
            ["TreatMissingData"] = "notBreaching",
        };
        if (AlertsTopicId is { } alerts)
        {
            properties["AlarmActions"] = Fn.List(Fn.Ref(alerts));
            properties["OKActions"] = Fn.List(Fn.Ref(alerts));
        }

        return Resource(id, "AWS::CloudWatch::Alarm", properties);
    }

    /// <summary>Macie for the archive: the session (unless it is enabled already), and findings to the
    /// alerts topic. CloudFormation has no resource for a classification job, so the stack outputs the
    /// one CLI command that creates it (see docs/deploying.md for why not a custom resource).</summary>
    private void AddMacie()
    {
        // Kept when the stack goes or EnableMacie turns false: deleting the session would disable Macie in the
        // account and region and delete its findings and jobs, including any the stack did not create.
        Resource(MacieSession, "AWS::Macie::Session", new JsonObject
        {
            ["Status"] = "ENABLED",
            ["FindingPublishingFrequency"] = "FIFTEEN_MINUTES",
        }, condition: "EnablesMacie", retain: true);
        if (AlertsTopicId is { } alerts)
        {
            Resource("MacieFindingsRule", "AWS::Events::Rule", new JsonObject
            {
                ["Description"] = "Amazon Macie findings about the event archive to the alerts topic.",
                ["EventPattern"] = new JsonObject
                {
                    ["source"] = Fn.Strings(["aws.macie"]),
                    ["detail-type"] = Fn.Strings(["Macie Finding"]),

                    // Only this stack's archive: Macie reports on every bucket of the account.
                    ["detail"] = new JsonObject
                    {
                        ["resourcesAffected"] = new JsonObject { ["s3Bucket"] = new JsonObject { ["name"] = Fn.List(Fn.Ref(Bucket)) } },
                    },
                },
                ["State"] = "ENABLED",
                ["Targets"] = Fn.List(new JsonObject { ["Arn"] = Fn.Ref(alerts), ["Id"] = "alerts" }),
            });
        }
    }

    private void AddOutputs()
    {
        Output("ApiEndpoint", "POST events here with the x-api-key header.",
            Fn.Sub($"https://${{{Api}}}.execute-api.${{AWS::Region}}.${{AWS::URLSuffix}}/${{{Stage}}}/events"));
        foreach (var publisher in _definition.Publishers)
        {
            Output(LogicalIds.Of("ApiKeyId", publisher.Name),
                $"The API key id of publisher {publisher.Name}; its value: aws apigateway get-api-key --api-key ID --include-value --query value --output text",
                Fn.Ref(ApiKeyId(publisher.Name)));
        }

        foreach (var topic in _definition.Topics)
        {
            Output(TopicId(topic.Name) + "Arn", $"The {topic.Name} topic.", Fn.Ref(TopicId(topic.Name)));
        }

        Output("IngestionFunctionName", "The ingestion function (its logs: /aws/lambda/STACK-ingestion).", Fn.Ref(IngestionFunction));
        Output("StreamPublisherFunctionName", "The stream publisher function (its logs: /aws/lambda/STACK-stream-publisher).", Fn.Ref(StreamPublisherFunction));
        Output("IngestionDeadLetterQueueUrl", "Events accepted while the table refused writes.", Fn.Ref(IngestionDlq));
        Output("PublishDeadLetterQueueUrl", "Events that could not be published or archived.", Fn.Ref(PublishDlq));
        Output("StreamFailureQueueUrl", "Stream batches the stream publisher gave up on.", Fn.Ref(StreamFailures));
        Output("ArchiveBucketName", "The event archive (JSON lines per publisher and stream batch).", Fn.Ref(Bucket));
        Output("EventsTableStreamArn", "The events table's stream in this region.", Fn.GetAtt(Table, "StreamArn"), CreatesTable);
        Output("MacieClassificationJobCommand", "Run once after the first deploy: a daily Macie job over the archive, starting with everything in it.", Fn.Sub(
            "aws macie2 create-classification-job --region ${AWS::Region} --name ${AWS::StackName}-archive --job-type SCHEDULED --initial-run " +
            "--schedule-frequency '{\"dailySchedule\":{}}' " +
            $"--s3-job-definition '{{\"bucketDefinitions\":[{{\"accountId\":\"${{AWS::AccountId}}\",\"buckets\":[\"${{{Bucket}}}\"]}}]}}'"));
    }
}
