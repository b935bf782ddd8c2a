using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using PubSub.Webhooks.Delivery;

namespace PubSub.Webhooks.Worker;

/// <summary>The attempts table (<see cref="PubSub.Definition.WebhookNames.AttemptsTable"/>): one item per attempt, keyed
/// <c>pk</c> = <c>{publisher}#{eventId}</c> and <c>sk</c> = <c>{subscriptionId}#{attemptNumber:D4}</c>, so one query
/// reads an event's attempts at every subscription, and a prefix of the sort key those at one subscription. It holds the
/// <see cref="DeliveryAttempt"/>'s fields, the next attempt's due time and (after the first series) the series' first attempt; never a request header, a secret or the
/// payload. <c>expiresAt</c> (epoch seconds) is the TTL: the events' retention after the attempt.</summary>
public sealed class DynamoDbAttemptLog(IAmazonDynamoDB dynamoDb, string table, TimeSpan retention)
{
    public const string PartitionKey = "pk", SortKey = "sk", ExpiresAt = "expiresAt";

    private const string Publisher = "publisher", EventId = "eventId", Subscription = "subscriptionId", Url = "url",
        AttemptNumber = "attempt", StartedAt = "startedAt", Status = "status", Error = "error", Outcome = "outcome", LatencyMs = "latencyMs",
        Body = "responseBody", RetryAfterMs = "retryAfterMs", Detail = "errorDetail", NextAttemptAt = "nextAttemptAt",
        SeriesStart = "seriesStart";

    public static string PartitionKeyOf(string publisher, string eventId) => $"{publisher}#{eventId}";

    public static string SortKeyOf(string subscriptionId, int attemptNumber) =>
        $"{subscriptionId}#{attemptNumber.ToString("D4", CultureInfo.InvariantCulture)}";

    public Task RecordAsync(AttemptRecord record, CancellationToken cancellationToken) =>
        dynamoDb.PutItemAsync(new PutItemRequest { TableName = table, Item = ToItem(record) }, cancellationToken);

    /// <summary>The latest attempt of the event at the subscription, or null before the first.</summary>
    public async Task<AttemptRecord?> LatestAsync(string publisher, string eventId, string subscriptionId, CancellationToken cancellationToken)
    {
        var response = await dynamoDb.QueryAsync(new QueryRequest
        {
            TableName = table,
            KeyConditionExpression = "#pk = :pk AND begins_with(#sk, :prefix)",
            ExpressionAttributeNames = new() { ["#pk"] = PartitionKey, ["#sk"] = SortKey },
            ExpressionAttributeValues = new()
            {
                [":pk"] = new AttributeValue(PartitionKeyOf(publisher, eventId)),
                [":prefix"] = new AttributeValue(subscriptionId + "#"),
            },
            ScanIndexForward = false,
            Limit = 1,
            ConsistentRead = true,
        }, cancellationToken);
        return response.Items is [var item, ..] ? FromItem(item) : null;
    }

    /// <summary>Every attempt of the event, at every subscription (or at <paramref name="subscriptionId"/> only), oldest first
    /// per subscription.</summary>
    public async Task<IReadOnlyList<AttemptRecord>> QueryAsync(string publisher, string eventId, string? subscriptionId,
        CancellationToken cancellationToken = default)
    {
        var records = new List<AttemptRecord>();
        Dictionary<string, AttributeValue>? start = null;
        do
        {
            var request = new QueryRequest
            {
                TableName = table,
                KeyConditionExpression = subscriptionId is null ? "#pk = :pk" : "#pk = :pk AND begins_with(#sk, :prefix)",
                ExpressionAttributeNames = subscriptionId is null
                    ? new() { ["#pk"] = PartitionKey }
                    : new() { ["#pk"] = PartitionKey, ["#sk"] = SortKey },
                ExpressionAttributeValues = new() { [":pk"] = new AttributeValue(PartitionKeyOf(publisher, eventId)) },
                ExclusiveStartKey = start,
            };
            if (subscriptionId is not null)
            {
                request.ExpressionAttributeValues[":prefix"] = new AttributeValue(subscriptionId + "#");
            }

            var response = await dynamoDb.QueryAsync(request, cancellationToken);
            records.AddRange((response.Items ?? []).Select(FromItem));
            start = response.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (start is not null);

        return records;
    }

    internal Dictionary<string, AttributeValue> ToItem(AttemptRecord record)
    {
        var attempt = record.Attempt;
        var item = new Dictionary<string, AttributeValue>(StringComparer.Ordinal)
        {
            [PartitionKey] = new(PartitionKeyOf(record.Publisher, attempt.EventId)),
            [SortKey] = new(SortKeyOf(attempt.EndpointId, attempt.AttemptNumber)),
            [ExpiresAt] = Number((attempt.StartedAt + retention).ToUnixTimeSeconds()),
            [Publisher] = new(record.Publisher),
            [EventId] = new(attempt.EventId),
            [Subscription] = new(attempt.EndpointId),
            [Url] = new(attempt.EndpointUrl),
            [AttemptNumber] = Number(attempt.AttemptNumber),
            [StartedAt] = new(attempt.StartedAt.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)),
            [Error] = new(attempt.Error.ToString()),
            [Outcome] = new(attempt.Outcome.ToString()),
            [LatencyMs] = Number((long)Math.Round(attempt.Latency.TotalMilliseconds)),
        };
        if (attempt.StatusCode is { } status)
        {
            item[Status] = Number(status);
        }

        if (attempt.ResponseBody.Length > 0)
        {
            item[Body] = new(attempt.ResponseBody);
        }

        if (attempt.RetryAfter is { } retryAfter)
        {
            item[RetryAfterMs] = Number((long)retryAfter.TotalMilliseconds);
        }

        if (attempt.ErrorDetail is { Length: > 0 } detail)
        {
            item[Detail] = new(detail);
        }

        if (record.NextAttemptAt is { } next)
        {
            item[NextAttemptAt] = new(next.UtcDateTime.ToString("O", CultureInfo.InvariantCulture));
        }

        if (record.SeriesStart != 1)
        {
            item[SeriesStart] = Number(record.SeriesStart);
        }

        return item;
    }

    internal static AttemptRecord FromItem(Dictionary<string, AttributeValue> item)
    {
        string? Text(string name) => item.TryGetValue(name, out var value) ? value.S : null;
        long? Long(string name) => item.TryGetValue(name, out var value) && value.N is { } n ? long.Parse(n, CultureInfo.InvariantCulture) : null;
        DateTimeOffset? Time(string name) => Text(name) is { } text
            ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal)
            : null;

        var attempt = new DeliveryAttempt(
            Text(EventId) ?? "",
            Text(Subscription) ?? "",
            Text(Url) ?? "",
            (int)(Long(AttemptNumber) ?? 0),
            Time(StartedAt) ?? DateTimeOffset.MinValue,
            Long(Status) is { } status ? (int)status : null,
            Enum.TryParse<AttemptError>(Text(Error), out var error) ? error : AttemptError.None,
            TimeSpan.FromMilliseconds(Long(LatencyMs) ?? 0),
            Text(Body) ?? "",
            Long(RetryAfterMs) is { } retryAfter ? TimeSpan.FromMilliseconds(retryAfter) : null,
            Text(Detail));
        return new AttemptRecord(Text(Publisher) ?? "", attempt, Time(NextAttemptAt), (int)(Long(SeriesStart) ?? 1));
    }

    private static AttributeValue Number(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };
}
