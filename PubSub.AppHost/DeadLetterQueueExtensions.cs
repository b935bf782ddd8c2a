using Amazon;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.SQS;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using PubSub.Aws.DynamoDB;
using Amazon.SimpleNotificationService;
using PubSub.Aws.SimpleNotificationService;
using PubSub.Definition;
using PubSub.Emulators;
using PubSub.Operations;

namespace PubSub.AppHost;

/// <summary>A dead-letter queue as a dashboard resource: unhealthy while it holds messages (the local
/// counterpart of its CloudWatch alarm), with Replay and Purge commands.</summary>
internal sealed class DeadLetterQueueResource(string name, string role, string queueName) : Resource(name)
{
    public string Role { get; } = role;

    public string QueueName { get; } = queueName;
}

internal static class DeadLetterQueueExtensions
{
    public static void AddDeadLetterQueues(this IDistributedApplicationBuilder builder, SystemDefinition definition, LocalAws aws)
    {
        var operations = new LocalOperations(definition, aws);
        foreach (var (role, queue) in definition.DeadLetterQueues.ByRole())
        {
            var name = $"dlq-{role}";
            builder.Services.AddHealthChecks().AddAsyncCheck(name, async cancellationToken =>
            {
                try
                {
                    var status = await operations.Queues.StatusAsync(role, queue, cancellationToken);
                    return status.Visible == 0
                        ? HealthCheckResult.Healthy($"{queue} is empty")
                        : HealthCheckResult.Unhealthy(
                            $"{status.Visible} message(s) in {queue}: use Replay here, or `pubsub dlq replay {role} --local`");
                }
                catch (Exception e) when (e is AmazonServiceException or AmazonClientException or HttpRequestException or InvalidOperationException)
                {
                    return HealthCheckResult.Degraded($"{queue} cannot be read yet: {e.Message}");
                }
            });

            builder.AddResource(new DeadLetterQueueResource(name, role, queue))
                .WithInitialState(new CustomResourceSnapshot
                {
                    ResourceType = "SQS dead-letter queue",
                    State = KnownResourceStates.Running,
                    Properties = [new("queue", queue), new("receives", role == "ingestion" ? "events the table refused" : "events a topic or the archive refused")],
                })
                .WithHealthCheck(name)
                .WithCommand("replay", "Replay", async context =>
                {
                    var report = await operations.Queues.ReplayAsync(queue, int.MaxValue, dryRun: false, progress: null, context.CancellationToken);
                    var summary = $"read {report.Read}, replayed {report.Replayed}, duplicates {report.Duplicates}, failed {report.Failed}, skipped {report.Skipped}";
                    return report.Failed == 0 && report.Skipped == 0
                        ? CommandResults.Success(summary)
                        : CommandResults.Failure($"{summary}: {string.Join("; ", report.Problems.Take(3))}");
                }, new CommandOptions
                {
                    Description = "Write every message back where it failed to go, then delete it (pubsub dlq replay).",
                    IconName = "ArrowClockwise",
                    IsHighlighted = true,
                })
                .WithCommand("purge", "Purge", async context =>
                {
                    await operations.Queues.PurgeAsync(queue, context.CancellationToken);
                    return CommandResults.Success($"{queue} purged");
                }, new CommandOptions
                {
                    Description = "Delete every message for good (pubsub dlq purge).",
                    IconName = "Delete",
                    ConfirmationMessage = $"Delete every message of {queue} for good?",
                });
        }
    }

    /// <summary>Operations clients pointed at the local endpoints, made when first needed (the
    /// endpoints are allocated when the application starts).</summary>
    private sealed class LocalOperations(SystemDefinition definition, LocalAws aws)
    {
        // PublicationOnly: a failed creation (endpoints not allocated yet) is retried, not remembered.
        private readonly Lazy<DeadLetterQueues> _queues = new(() => Create(definition, aws), LazyThreadSafetyMode.PublicationOnly);

        public DeadLetterQueues Queues => _queues.Value;

        private static DeadLetterQueues Create(SystemDefinition definition, LocalAws aws)
        {
            var credentials = new BasicAWSCredentials("test", "test");
            var region = RegionEndpoint.GetBySystemName(EmbeddedEmulators.Region);
            var messaging = aws.Messaging.Url;
            var sqs = new AmazonSQSClient(credentials, new AmazonSQSConfig { ServiceURL = messaging, AuthenticationRegion = region.SystemName });
            var sns = new AmazonSimpleNotificationServiceClient(
                new AmazonSimpleNotificationServiceConfig { ServiceURL = messaging, AuthenticationRegion = region.SystemName }, credentials);
            var s3 = new AmazonS3Client(credentials, new AmazonS3Config { ServiceURL = messaging, ForcePathStyle = true, AuthenticationRegion = region.SystemName });
            var dynamoDb = new DynamoDbConditionalWriter(
                new AmazonDynamoDBConfig { ServiceURL = aws.DynamoDb.Url, AuthenticationRegion = region.SystemName }, credentials);
            var replayer = new DeadLetterReplayer(dynamoDb, sns, new TopicDirectory(sns, new Dictionary<string, string>()), s3,
                ReplayDestinations.Of(definition));
            return new DeadLetterQueues(sqs, definition, replayer, TimeProvider.System);
        }
    }
}
