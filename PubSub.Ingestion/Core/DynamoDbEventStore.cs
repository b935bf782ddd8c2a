using System.Diagnostics;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using PubSub.Aws;
using PubSub.Events;
using PubSub.Telemetry;

namespace PubSub.Ingestion.Core;

/// <summary>The Events table. A conditional put (<c>attribute_not_exists</c> on the key) makes the
/// write idempotent in one round trip, with no read-then-write race.</summary>
public sealed class DynamoDbEventStore(IAmazonDynamoDB dynamoDb, EventStoreSettings settings) : IEventStore
{
    public async Task<StoreOutcome> AddAsync(EventEnvelope envelope, CancellationToken cancellationToken)
    {
        using var activity = PubSubTelemetry.Ingestion.StartActivity("DynamoDB PutItem", ActivityKind.Client);
        activity?.SetTag("db.system.name", "aws.dynamodb");
        activity?.SetTag("db.operation.name", "PutItem");
        activity?.SetTag("aws.dynamodb.table_names", settings.Table);
        try
        {
            await dynamoDb.PutItemAsync(new PutItemRequest
            {
                TableName = settings.Table,
                Item = EventItem.ToItem(envelope, settings.Retention),
                ConditionExpression = "attribute_not_exists(#key)",
                ExpressionAttributeNames = new Dictionary<string, string> { ["#key"] = EventItem.Key },
            }, cancellationToken).ConfigureAwait(false);
            return StoreOutcome.Created;
        }
        catch (ConditionalCheckFailedException)
        {
            activity?.SetTag("pubsub.duplicate", true);
            return StoreOutcome.AlreadyExists;
        }
        catch (Exception e) when (AwsErrors.IsCallFailure(e, cancellationToken))
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            throw new EventStoreUnavailableException($"Writing to table {settings.Table} failed: {e.Message}", e);
        }
    }
}

/// <param name="Table">The Events table.</param>
/// <param name="Retention">How long an item lives (its TTL).</param>
/// <param name="Region">The region this deployment runs in, stamped on every event.</param>
public sealed record EventStoreSettings(string Table, TimeSpan Retention, string Region);
