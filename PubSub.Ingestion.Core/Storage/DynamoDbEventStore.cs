using System.Diagnostics;
using PubSub.Aws;
using PubSub.Aws.DynamoDB;
using PubSub.Events;
using PubSub.Telemetry;

namespace PubSub.Ingestion.Core.Storage;

/// <summary>The Events table. A conditional put (<c>attribute_not_exists</c> on the key) makes the
/// write idempotent in one round trip, with no read-then-write race; on a conflict DynamoDB returns
/// the stored item, whose fingerprint tells a retry from a reused id. The write ends
/// <see cref="AwsTimeouts.IngestionStoreReserve"/> before the deadline, so that the DLQ fallback still runs.</summary>
public sealed class DynamoDbEventStore(IDynamoDbConditionalWriter dynamoDb, EventStoreSettings settings, TimeProvider? timeProvider = null)
    : IEventStore
{
    public async Task<StoreResult> AddAsync(EventEnvelope envelope, CancellationToken cancellationToken)
    {
        using var activity = PubSubTelemetry.Ingestion.StartActivity("DynamoDB PutItem", ActivityKind.Client);
        activity?.SetTag("db.system.name", "aws.dynamodb");
        activity?.SetTag("db.operation.name", "PutItem");
        activity?.SetTag("aws.dynamodb.table_names", settings.Table);
        using var budget = TimeBudget.Reserving(AwsTimeouts.IngestionStoreReserve, timeProvider ?? TimeProvider.System, cancellationToken);
        try
        {
            var result = await dynamoDb.PutIfAbsentAsync(settings.Table, EventItem.ToItem(envelope, settings.Retention), EventItem.Key,
                budget.Token);
            if (result.Created)
            {
                return StoreResult.New;
            }

            activity?.SetTag("pubsub.duplicate", true);
            return StoreResult.Existing(result.Existing is { } old && old.TryGetValue(EventItem.FingerprintAttribute, out var fingerprint) ? fingerprint.S : null);
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
