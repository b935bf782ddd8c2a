using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace PubSub.Webhooks.Worker;

/// <summary>The ordered keys' state (<see cref="OrderedKeyState"/>) in the endpoints table, one item per key, beside
/// the subscriptions' circuit items: <c>id</c> = <c>{subscriptionId}#key#{hash}</c> (<see cref="ItemIdOf"/>), so that
/// neither <c>pubsub webhooks list</c> (which reads the subscriptions' own ids) nor the circuit ever reads one. The
/// item is replaced whole, conditional on <c>version</c>; <c>expiresAt</c> (the table's TTL) is a fortnight after the
/// last of its entries' leases, so a key left alone is deleted and an active one never is.</summary>
internal sealed class DynamoDbOrderedKeyStore(IAmazonDynamoDB dynamoDb, string table)
{
    /// <summary>How long a key's last finished order key is kept after its last activity: the 14 days a queue keeps a
    /// message, so that a late event is still known as late.</summary>
    public static readonly TimeSpan KeepFinished = TimeSpan.FromDays(14);

    private const string Key = DynamoDbCircuitStateStore.Key, Kind = "kind", Subscription = "subscription", Entries = "entries",
        Last = "last", Version = "version", ExpiresAt = PubSub.Definition.WebhookTables.ExpiresAt,
        Order = "o", RegisteredAt = "r", Until = "u", Due = "d", Taken = "t", Token = "k";

    /// <summary>The key of (subscription, publisher, partitionkey): the publisher and the key hashed as the FIFO topics' message
    /// groups are (<see cref="PubSub.Events.FifoKeys.GroupOf(string, string)"/>), so one publisher never shares another's key.</summary>
    public static string ItemIdOf(string subscriptionId, string publisher, string partitionKey) =>
        $"{subscriptionId}#key#{PubSub.Events.FifoKeys.GroupOf(publisher, partitionKey)}";

    public async Task<OrderedKeyState> GetAsync(string itemId, CancellationToken cancellationToken)
    {
        var response = await dynamoDb.GetItemAsync(new GetItemRequest
        {
            TableName = table,
            Key = new() { [Key] = new AttributeValue(itemId) },
            ConsistentRead = true,
        }, cancellationToken);
        return response.Item is { Count: > 0 } item ? FromItem(item) : OrderedKeyState.Empty;
    }

    /// <summary>Writes <paramref name="replacement"/> (as version <c>read.Version + 1</c>) if the item is still at
    /// <paramref name="read"/>'s version; false when another worker changed it first.</summary>
    public async Task<bool> TryReplaceAsync(string itemId, string subscriptionId, OrderedKeyState read, OrderedKeyState replacement,
        DateTimeOffset now, CancellationToken cancellationToken)
    {
        try
        {
            await dynamoDb.PutItemAsync(new PutItemRequest
            {
                TableName = table,
                Item = ToItem(itemId, subscriptionId, replacement with { Version = read.Version + 1 }, now),
                ConditionExpression = read.Version == 0 ? "attribute_not_exists(#version)" : "#version = :expected",
                ExpressionAttributeNames = new() { ["#version"] = Version },
                ExpressionAttributeValues = read.Version == 0 ? null : new() { [":expected"] = Number(read.Version) },
            }, cancellationToken);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    internal static Dictionary<string, AttributeValue> ToItem(string itemId, string subscriptionId, OrderedKeyState state, DateTimeOffset now)
    {
        var lastLease = state.Entries.Values.Select(e => e.Until).Append(now).Max();
        var item = new Dictionary<string, AttributeValue>(StringComparer.Ordinal)
        {
            [Key] = new(itemId),
            [Kind] = new("ordered-key"),
            [Subscription] = new(subscriptionId),
            [Version] = Number(state.Version),
            [ExpiresAt] = Number((lastLease + KeepFinished).ToUnixTimeSeconds()),
        };
        if (state.Entries.Count > 0)
        {
            item[Entries] = new() { M = state.Entries.ToDictionary(e => e.Key, e => EntryValue(e.Value), StringComparer.Ordinal) };
        }

        if (state.Last is { } last)
        {
            item[Last] = new(last);
        }

        return item;
    }

    internal static OrderedKeyState FromItem(Dictionary<string, AttributeValue> item)
    {
        var entries = new Dictionary<string, OrderedEntry>(StringComparer.Ordinal);
        if (item.TryGetValue(Entries, out var map) && map.M is { } values)
        {
            foreach (var (id, value) in values)
            {
                var e = value.M;
                entries[id] = new OrderedEntry(e[Order].S, Time(e[RegisteredAt].S), Time(e[Until].S),
                    e.TryGetValue(Due, out var due) ? Time(due.S) : null, e.TryGetValue(Taken, out var taken) && taken.BOOL == true,
                    e.TryGetValue(Token, out var token) ? token.S : null);
            }
        }

        return new OrderedKeyState(entries, item.TryGetValue(Last, out var last) ? last.S : null,
            item.TryGetValue(Version, out var version) ? long.Parse(version.N, CultureInfo.InvariantCulture) : 0);
    }

    private static AttributeValue EntryValue(OrderedEntry entry)
    {
        var map = new Dictionary<string, AttributeValue>(StringComparer.Ordinal)
        {
            [Order] = new(entry.Order),
            [RegisteredAt] = new(Text(entry.RegisteredAt)),
            [Until] = new(Text(entry.Until)),
        };
        if (entry.Due is { } due)
        {
            map[Due] = new(Text(due));
        }

        if (entry.Taken)
        {
            map[Taken] = new() { BOOL = true };
        }

        if (entry.Token is { } token)
        {
            map[Token] = new(token);
        }

        return new AttributeValue { M = map };
    }

    private static string Text(DateTimeOffset time) => time.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static DateTimeOffset Time(string text) =>
        DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);

    private static AttributeValue Number(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };
}
