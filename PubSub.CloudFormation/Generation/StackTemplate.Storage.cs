using System.Text.Json.Nodes;
using PubSub.Events;

namespace PubSub.CloudFormation.Generation;

public sealed partial class StackTemplate
{
    private const string Key = "EncryptionKey";
    private const string Table = "EventsTable";
    private const string Bucket = "ArchiveBucket";
    private const string CreatesTable = "CreatesEventsTable";
    private const string MacieSession = "MacieSession";

    private void AddParameters()
    {
        Parameter("StageName", "String", "The API stage, the last part of the endpoint's path.", "live");
        Parameter("LogLevel", "String", "The functions' log level.", "Information", "Debug", "Information", "Warning", "Error");
        Parameter("LogRetentionDays", "Number", "How long function and access logs are kept.", "30",
            "1", "3", "5", "7", "14", "30", "60", "90", "120", "150", "180", "365", "400", "545", "731", "1096", "1827", "2192", "2557", "2922", "3288", "3653");
        Parameter(Architecture, "String",
            "The functions' processor: arm64 (Graviton, about 20 % cheaper per GB-second) or x86_64. Each has its own zip (CodeKeyPrefix).",
            "arm64", "arm64", "x86_64");
        Parameter(CodeBucket, "String", "The S3 bucket, in this region, that holds the functions' zips (eng/deploy.sh uploads them).");
        Parameter(CodeKeyPrefix, "String",
            "The zips' key prefix in CodeBucket: the keys are PREFIXpubsub-ingestion-ARCH.zip, PREFIXpubsub-stream-publisher-ARCH.zip and (with webhook subscriptions) PREFIXpubsub-webhook-delivery-ARCH.zip. eng/deploy.sh uses STACK/HASH/, so that new code gets a new key.",
            "");
        Parameter("IngestionReservedConcurrency", "Number", "Concurrency reserved for the ingestion function; 0 reserves none.", 0);
        Parameter("StreamPublisherReservedConcurrency", "Number", "Concurrency reserved for the stream publisher; 0 reserves none.", 0);
        Parameter("EventsTableStreamArn", "String",
            "Empty in the primary region, where the stack creates the events global table. In a replica region: the stream ARN of the table's replica there (aws dynamodb describe-table --table-name TABLE --query Table.LatestStreamArn).", "");
        Parameter("ReplicaRegion1", "String", "A second region for the events global table (primary region only); empty for none.", "");
        Parameter("ReplicaRegion2", "String", "A third region for the events global table (primary region only); empty for none.", "");
        Parameter("StreamBatchSize", "Number", "Stream records per invocation of the stream publisher.", 100);
        Parameter("StreamBatchWindowSeconds", "Number", "How long the stream mapping gathers records before it invokes.", 1);
        Parameter("StreamMaximumRetryAttempts", "Number", "Retries of a failing batch (after bisecting) before it goes to the stream failure queue.", 10);
        Parameter("StreamMaximumRecordAgeSeconds", "Number", "Records older than this go to the stream failure queue unprocessed.", 86400);
        Parameter("IteratorAgeAlarmMilliseconds", "Number", "The stream publisher's iterator age that raises an alarm.", 60000);
        // S3 refuses an expiration at or before the last transition (Glacier IR at 90 days).
        Parameter("ArchiveRetentionDays", "Number", "Days after which archived events are deleted (they move to cheaper storage after 30 and 90 days); at least 91.", 365)
            ["MinValue"] = 91;
        Parameter("EnableMacie", "String",
            "true: enable Amazon Macie in this account and region; existing: Macie is enabled already (the key policy names its service-linked role, which then exists); false: no Macie (the archive is not scanned). The stack never disables Macie: changing this later, or deleting the stack, leaves it enabled with its findings and jobs.",
            "true", "true", "existing", "false");
        Parameter("AlertEmail", "String", "An e-mail address subscribed to the alerts topic; empty for none.", "");
        Parameter("CreateApiGatewayAccountRole", "String",
            "Set API Gateway's CloudWatch Logs role for this account and region, which access and execution logging need (false if the region has one). One setting per region: it and its role are kept when the stack is deleted, so other APIs keep logging.",
            "true", "true", "false");

        Condition(CreatesTable, Fn.Equals(Fn.Ref("EventsTableStreamArn"), ""));
        Condition("HasReplicaRegion1", Fn.Not(Fn.Equals(Fn.Ref("ReplicaRegion1"), "")));
        Condition("HasReplicaRegion2", Fn.Not(Fn.Equals(Fn.Ref("ReplicaRegion2"), "")));
        Condition("HasIngestionReservedConcurrency", Fn.Not(Fn.Equals(Fn.Ref("IngestionReservedConcurrency"), 0)));
        Condition("HasStreamPublisherReservedConcurrency", Fn.Not(Fn.Equals(Fn.Ref("StreamPublisherReservedConcurrency"), 0)));
        Condition("EnablesMacie", Fn.Equals(Fn.Ref("EnableMacie"), "true"));
        Condition("UsesMacie", Fn.Not(Fn.Equals(Fn.Ref("EnableMacie"), "false")));
        Condition("HasAlertEmail", Fn.Not(Fn.Equals(Fn.Ref("AlertEmail"), "")));
        Condition("CreatesApiGatewayAccountRole", Fn.Equals(Fn.Ref("CreateApiGatewayAccountRole"), "true"));
    }

    /// <summary>One customer-managed key for the queues, topics and bucket; the services that write to
    /// them (SNS into queues, CloudWatch and EventBridge into the alerts topic) may use it, SNS and CloudWatch
    /// only for this account and region (confused deputy), and Macie's service-linked role may decrypt the archive.</summary>
    private void AddEncryption()
    {
        static JsonObject ServiceUses(string sid, string service, JsonObject? sourceArn)
        {
            var statement = new JsonObject
            {
                ["Sid"] = sid,
                ["Effect"] = "Allow",
                ["Principal"] = new JsonObject { ["Service"] = service },
                ["Action"] = Fn.Strings(["kms:GenerateDataKey*", "kms:Decrypt"]),
                ["Resource"] = "*",
            };
            if (sourceArn is not null)
            {
                statement["Condition"] = new JsonObject
                {
                    ["StringEquals"] = new JsonObject { ["aws:SourceAccount"] = Fn.Ref("AWS::AccountId") },
                    ["ArnLike"] = new JsonObject { ["aws:SourceArn"] = sourceArn },
                };
            }

            return statement;
        }

        Resource(Key, "AWS::KMS::Key", new JsonObject
        {
            ["Description"] = Fn.Sub("${AWS::StackName}: queues, topics and the event archive"),
            ["EnableKeyRotation"] = true,
            ["KeyPolicy"] = Fn.PolicyDocument(
                new JsonObject
                {
                    ["Sid"] = "AccountAdministers",
                    ["Effect"] = "Allow",
                    ["Principal"] = new JsonObject { ["AWS"] = Fn.Sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:root") },
                    ["Action"] = "kms:*",
                    ["Resource"] = "*",
                },
                ServiceUses("TopicsDeliverToQueues", "sns.amazonaws.com", Fn.Sub("arn:${AWS::Partition}:sns:${AWS::Region}:${AWS::AccountId}:*")),
                ServiceUses("AlarmsPublishToAlerts", "cloudwatch.amazonaws.com", Fn.Sub("arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:*")),

                // No source conditions: EventBridge's calls to KMS for an encrypted topic do not carry them (AWS's SNS guide).
                ServiceUses("FindingsPublishToAlerts", "events.amazonaws.com", null),
                Fn.If("UsesMacie", new JsonObject
                {
                    // Macie's guide: name the service-linked role in the key policy. The account root with a condition
                    // would only delegate to IAM, and the role's own policy has no kms:Decrypt. KMS refuses a principal
                    // that does not exist, so when the stack enables Macie the key waits for the session (and its role).
                    ["Sid"] = "MacieServiceLinkedRoleReadsTheArchive",
                    ["Effect"] = "Allow",
                    ["Principal"] = new JsonObject
                    {
                        ["AWS"] = Fn.If("EnablesMacie", Fn.GetAtt(MacieSession, "ServiceRole"),
                            Fn.Sub("arn:${AWS::Partition}:iam::${AWS::AccountId}:role/aws-service-role/macie.amazonaws.com/AWSServiceRoleForAmazonMacie")),
                    },
                    ["Action"] = "kms:Decrypt",
                    ["Resource"] = "*",
                }, Fn.NoValue)), // without Macie the role may not exist, and KMS refuses a policy naming it
        }, retain: true);
        Resource("EncryptionKeyAlias", "AWS::KMS::Alias", new JsonObject
        {
            ["AliasName"] = Fn.Sub("alias/${AWS::StackName}"),
            ["TargetKeyId"] = Fn.Ref(Key),
        });
    }

    /// <summary>The events global table: created in the primary region with its replicas; a replica
    /// region's stack uses the replica by name and stream ARN.</summary>
    private void AddEventsTable()
    {
        JsonObject Replica(JsonNode region) => new()
        {
            ["Region"] = region,
            ["PointInTimeRecoverySpecification"] = new JsonObject { ["PointInTimeRecoveryEnabled"] = true },
            ["DeletionProtectionEnabled"] = true,
        };

        Resource(Table, "AWS::DynamoDB::GlobalTable", new JsonObject
        {
            ["TableName"] = _definition.Events.Table,
            ["BillingMode"] = "PAY_PER_REQUEST",
            ["AttributeDefinitions"] = Fn.List(new JsonObject { ["AttributeName"] = EventItem.Key, ["AttributeType"] = "S" }),
            ["KeySchema"] = Fn.List(new JsonObject { ["AttributeName"] = EventItem.Key, ["KeyType"] = "HASH" }),
            ["StreamSpecification"] = new JsonObject { ["StreamViewType"] = "NEW_IMAGE" },
            ["TimeToLiveSpecification"] = new JsonObject { ["AttributeName"] = EventItem.ExpiresAt, ["Enabled"] = true },
            ["SSESpecification"] = new JsonObject { ["SSEEnabled"] = true, ["SSEType"] = "KMS" },
            ["Replicas"] = Fn.List(
                Replica(Fn.Ref("AWS::Region")),
                Fn.If("HasReplicaRegion1", Replica(Fn.Ref("ReplicaRegion1")), Fn.NoValue),
                Fn.If("HasReplicaRegion2", Replica(Fn.Ref("ReplicaRegion2")), Fn.NoValue)),
        }, condition: CreatesTable, retain: true);
    }

    private static JsonObject TableArn(string table) => Fn.Sub($"arn:${{AWS::Partition}}:dynamodb:${{AWS::Region}}:${{AWS::AccountId}}:table/{table}");

    private void AddArchive()
    {
        Resource(Bucket, "AWS::S3::Bucket", new JsonObject
        {
            ["BucketEncryption"] = new JsonObject
            {
                ["ServerSideEncryptionConfiguration"] = Fn.List(new JsonObject
                {
                    ["ServerSideEncryptionByDefault"] = new JsonObject { ["SSEAlgorithm"] = "aws:kms", ["KMSMasterKeyID"] = Fn.GetAtt(Key, "Arn") },
                    ["BucketKeyEnabled"] = true,
                }),
            },
            ["PublicAccessBlockConfiguration"] = new JsonObject
            {
                ["BlockPublicAcls"] = true, ["BlockPublicPolicy"] = true, ["IgnorePublicAcls"] = true, ["RestrictPublicBuckets"] = true,
            },
            ["OwnershipControls"] = new JsonObject { ["Rules"] = Fn.List(new JsonObject { ["ObjectOwnership"] = "BucketOwnerEnforced" }) },
            ["VersioningConfiguration"] = new JsonObject { ["Status"] = "Enabled" },
            ["LifecycleConfiguration"] = new JsonObject
            {
                ["Rules"] = Fn.List(new JsonObject
                {
                    ["Id"] = "archive-tiers",
                    ["Status"] = "Enabled",
                    ["Transitions"] = Fn.List(
                        new JsonObject { ["StorageClass"] = "STANDARD_IA", ["TransitionInDays"] = 30 },
                        new JsonObject { ["StorageClass"] = "GLACIER_IR", ["TransitionInDays"] = 90 }),
                    ["ExpirationInDays"] = Fn.Ref("ArchiveRetentionDays"),
                    ["NoncurrentVersionExpiration"] = new JsonObject { ["NoncurrentDays"] = 30 },
                    ["AbortIncompleteMultipartUpload"] = new JsonObject { ["DaysAfterInitiation"] = 7 },
                }),
            },
        }, retain: true);
        Resource("ArchiveBucketPolicy", "AWS::S3::BucketPolicy", new JsonObject
        {
            ["Bucket"] = Fn.Ref(Bucket),
            ["PolicyDocument"] = Fn.PolicyDocument(new JsonObject
            {
                ["Sid"] = "TlsOnly",
                ["Effect"] = "Deny",
                ["Principal"] = "*",
                ["Action"] = "s3:*",
                ["Resource"] = Fn.List(Fn.GetAtt(Bucket, "Arn"), Fn.Sub($"${{{Bucket}.Arn}}/*")),
                ["Condition"] = new JsonObject { ["Bool"] = new JsonObject { ["aws:SecureTransport"] = "false" } },
            }),
        });
    }
}
