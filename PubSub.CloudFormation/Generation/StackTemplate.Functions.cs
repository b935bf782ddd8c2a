using System.Text.Json.Nodes;
using PubSub.Aws;

namespace PubSub.CloudFormation.Generation;

public sealed partial class StackTemplate
{
    private const string IngestionFunction = "IngestionFunction";
    private const string StreamPublisherFunction = "StreamPublisherFunction";
    private const string StreamMapping = "StreamEventSourceMapping";

    private static JsonObject TopicArnPrefix => Fn.Sub("arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:");

    private void AddFunctions()
    {
        var table = _definition.Events.Table;
        var xray = new[] { "xray:PutTraceSegments", "xray:PutTelemetryRecords" };
        var kms = new[] { "kms:GenerateDataKey", "kms:Decrypt" };

        var ingestionStatements = new List<JsonNode>
        {
            Fn.Allow(["dynamodb:PutItem"], TableArn(table)),
            Fn.Allow(["sqs:SendMessage"], Fn.GetAtt(IngestionDlq, "Arn")),
            Fn.Allow(kms, Fn.GetAtt(Key, "Arn")),
            Fn.Allow(xray, "*"),
        };
        if (AlertsTopicId is { } alerts)
        {
            ingestionStatements.Add(Fn.Allow(["sns:Publish"], Fn.Ref(alerts)));
        }

        Function(IngestionFunction, "ingestion", "Takes publishers' events from API Gateway and stores them.", 256,
            (int)AwsTimeouts.IngestionInvocation.TotalSeconds,
            "IngestionReservedConcurrency", "HasIngestionReservedConcurrency", ingestionStatements, new JsonObject
            {
                ["PUBSUB_EVENTS_TABLE"] = table,
                ["PUBSUB_INGESTION_DLQ_URL"] = Fn.Ref(IngestionDlq),
                ["PUBSUB_TOPIC_ARN_PREFIX"] = TopicArnPrefix,
                ["PUBSUB_API_KEYS"] = ApiKeyMap(),

                // The function answers only what came through this API's stage in this account.
                ["PUBSUB_API_ID"] = Fn.Ref(Api),
                ["PUBSUB_API_STAGE"] = Fn.Ref("StageName"),
                ["PUBSUB_ACCOUNT_ID"] = Fn.Ref("AWS::AccountId"),
                ["PUBSUB_LOG_LEVEL"] = Fn.Ref("LogLevel"),
            });

        var streamArn = Fn.Sub($"arn:${{AWS::Partition}}:dynamodb:${{AWS::Region}}:${{AWS::AccountId}}:table/{table}/stream/*");
        Function(StreamPublisherFunction, "stream-publisher", "Routes stored events to their topics.", 256,
            (int)AwsTimeouts.StreamInvocation.TotalSeconds,
            "StreamPublisherReservedConcurrency", "HasStreamPublisherReservedConcurrency",
            [
                Fn.Allow(["dynamodb:DescribeStream", "dynamodb:GetRecords", "dynamodb:GetShardIterator", "dynamodb:ListStreams"], streamArn),
                Fn.Allow(["sns:Publish"], [.. _definition.Topics.Select(t => (JsonNode?)Fn.Ref(TopicId(t.Name)))]),
                Fn.Allow(["sqs:SendMessage"], Fn.GetAtt(PublishDlq, "Arn"), Fn.GetAtt(StreamFailures, "Arn")),
                Fn.Allow(["s3:PutObject"], Fn.Sub($"${{{Bucket}.Arn}}/*")),
                Fn.Allow(kms, Fn.GetAtt(Key, "Arn")),
                Fn.Allow(xray, "*"),
            ],
            new JsonObject
            {
                ["PUBSUB_EVENTS_TABLE"] = table,
                ["PUBSUB_ARCHIVE_BUCKET"] = Fn.Ref(Bucket),
                ["PUBSUB_PUBLISH_DLQ_URL"] = Fn.Ref(PublishDlq),
                ["PUBSUB_TOPIC_ARN_PREFIX"] = TopicArnPrefix,
                ["PUBSUB_LOG_LEVEL"] = Fn.Ref("LogLevel"),
            });

        // Only INSERTs that this region accepted: in a global table every region sees every write, and
        // each event must be published once, by the region that took it.
        Resource(StreamMapping, "AWS::Lambda::EventSourceMapping", new JsonObject
        {
            ["EventSourceArn"] = Fn.If(CreatesTable, Fn.GetAtt(Table, "StreamArn"), Fn.Ref("EventsTableStreamArn")),
            ["FunctionName"] = Fn.Ref(StreamPublisherFunction),
            ["StartingPosition"] = "TRIM_HORIZON",
            ["BatchSize"] = Fn.Ref("StreamBatchSize"),
            ["MaximumBatchingWindowInSeconds"] = Fn.Ref("StreamBatchWindowSeconds"),
            ["ParallelizationFactor"] = 1,
            ["BisectBatchOnFunctionError"] = true,
            ["MaximumRetryAttempts"] = Fn.Ref("StreamMaximumRetryAttempts"),
            ["MaximumRecordAgeInSeconds"] = Fn.Ref("StreamMaximumRecordAgeSeconds"),
            ["FunctionResponseTypes"] = Fn.Strings(["ReportBatchItemFailures"]),
            ["FilterCriteria"] = new JsonObject
            {
                ["Filters"] = Fn.List(new JsonObject
                {
                    ["Pattern"] = Fn.Sub("""{"eventName":["INSERT"],"dynamodb":{"NewImage":{"originRegion":{"S":["${AWS::Region}"]}}}}"""),
                }),
            },
            ["DestinationConfig"] = new JsonObject
            {
                ["OnFailure"] = new JsonObject { ["Destination"] = Fn.GetAtt(StreamFailures, "Arn") },
            },
        });
    }

    /// <summary><c>keyId=publisher,...</c>: API Gateway tells the function the id of the key a request used.</summary>
    private JsonObject ApiKeyMap() =>
        Fn.Sub(string.Join(",", _definition.Publishers.Select(p => $"${{{ApiKeyId(p.Name)}}}={p.Name}")));

    private void Function(string id, string handler, string description, int memory, int timeout, string concurrencyParameter,
        string concurrencyCondition, List<JsonNode> statements, JsonObject environment)
    {
        var logGroup = id + "LogGroup";
        var role = id + "Role";
        Resource(logGroup, "AWS::Logs::LogGroup", new JsonObject
        {
            ["LogGroupName"] = Fn.Sub($"/aws/lambda/${{AWS::StackName}}-{handler}"),
            ["RetentionInDays"] = Fn.Ref("LogRetentionDays"),
        });
        statements.Insert(0, Fn.Allow(["logs:CreateLogStream", "logs:PutLogEvents"], Fn.GetAtt(logGroup, "Arn")));
        Resource(role, "AWS::IAM::Role", new JsonObject
        {
            ["AssumeRolePolicyDocument"] = Fn.PolicyDocument(new JsonObject
            {
                ["Effect"] = "Allow",
                ["Principal"] = new JsonObject { ["Service"] = "lambda.amazonaws.com" },
                ["Action"] = "sts:AssumeRole",
            }),
            ["Policies"] = Fn.List(new JsonObject
            {
                ["PolicyName"] = handler,
                ["PolicyDocument"] = Fn.PolicyDocument([.. statements]),
            }),
        });
        Resource(id, "AWS::Lambda::Function", new JsonObject
        {
            ["FunctionName"] = Fn.Sub($"${{AWS::StackName}}-{handler}"),
            ["Description"] = description,
            ["Runtime"] = "provided.al2023",
            ["Handler"] = handler,
            ["Architectures"] = Fn.Strings(["x86_64"]),
            ["Code"] = $"{_artifacts}/pubsub-{handler}-x86_64.zip",
            ["MemorySize"] = memory,
            ["Timeout"] = timeout,
            ["Role"] = Fn.GetAtt(role, "Arn"),
            ["ReservedConcurrentExecutions"] = Fn.If(concurrencyCondition, Fn.Ref(concurrencyParameter), Fn.NoValue),
            ["TracingConfig"] = new JsonObject { ["Mode"] = "Active" },
            ["LoggingConfig"] = new JsonObject { ["LogGroup"] = Fn.Ref(logGroup), ["LogFormat"] = "JSON" },
            ["Environment"] = new JsonObject { ["Variables"] = environment },
        });
    }
}
