using System.Diagnostics;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using PubSub.Aws;
using PubSub.Events;
using PubSub.Telemetry;

namespace PubSub.Ingestion.Core.Storage;

/// <summary>The Events table. A conditional put (<c>attribute_not_exists</c> on the key) makes the
/// write idempotent in one round trip, with no read-then-write race; on a conflict DynamoDB returns
/// the stored item, whose fingerprint tells a retry from a reused id.</summary>
public sealed class DynamoDbEventStore(IAmazonDynamoDB dynamoDb, EventStoreSettings settings) : IEventStore
{
    public async Task<StoreResult> AddAsync(EventEnvelope envelope, CancellationToken cancellationToken)
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
                ReturnValuesOnConditionCheckFailure = ReturnValuesOnConditionCheckFailure.ALL_OLD,
            }, cancellationToken);
            return StoreResult.New;
        }
        catch (ConditionalCheckFailedException e)
        {
            activity?.SetTag("pubsub.duplicate", true);
            return StoreResult.Existing(e.Item is { } old && old.TryGetValue(EventItem.FingerprintAttribute, out var fingerprint) ? fingerprint.S : null);
        }
        catch (Exception e) when (AwsErrors.IsCallFailure(e, cancellationToken))
        {
            activity?.SetStatus(ActivityStatusCode.Error, e.Message);
            throw new EventStoreUnavailableException($"Writing to table {settings.Table} failed ({AwsErrors.CodeOf(e)}): {e.Message}", e);
        }
    }
}

/// <param name="Table">The Events table.</param>
/// <param name="Retention">How long an item lives (its TTL), and so how long an id stays unique.</param>
/// <param name="Region">The region this deployment runs in, stamped on every event.</param>
public sealed record EventStoreSettings(string Table, TimeSpan Retention, string Region);
