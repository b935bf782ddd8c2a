using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using PubSub.Webhooks.Delivery;

namespace PubSub.Webhooks.Worker;

/// <summary>The endpoints table (<see cref="PubSub.Definition.WebhookNames.EndpointsTable"/>): one item per webhook
/// subscription, keyed <c>id</c>, holding its circuit; every change is an update conditional on <c>version</c>, so
/// concurrent workers (Lambda instances) lose no failure and only one wins a probe. The item also keeps the
/// subscription's URL and topic (<see cref="RememberAsync"/>), for <c>pubsub webhooks list</c>; the circuit's
/// updates never touch them.</summary>
public sealed class DynamoDbCircuitStateStore(IAmazonDynamoDB dynamoDb, string table) : ICircuitStateStore
{
    public const string Key = "id";

    private const string Status = "status", State = "state", Failures = "consecutiveFailures", FailingSince = "failingSince",
        Until = "until", DisabledReason = "disabledReason", Version = "version", Url = "url", Topic = "topic";

    public async ValueTask<CircuitState> GetAsync(string endpointId, CancellationToken cancellationToken)
    {
        var response = await dynamoDb.GetItemAsync(new GetItemRequest
        {
            TableName = table,
            Key = new() { [Key] = new AttributeValue(endpointId) },
            ConsistentRead = true,
        }, cancellationToken);
        return response.Item is { Count: > 0 } item && item.ContainsKey(Version) ? FromItem(item) : CircuitState.Initial;
    }

    public async ValueTask<bool> TryReplaceAsync(string endpointId, long expectedVersion, CircuitState replacement,
        CancellationToken cancellationToken)
    {
        var names = new Dictionary<string, string>
        {
            ["#status"] = Status, ["#state"] = State, ["#failures"] = Failures, ["#version"] = Version,
            ["#since"] = FailingSince, ["#until"] = Until, ["#reason"] = DisabledReason,
        };
        var values = new Dictionary<string, AttributeValue>
        {
            [":status"] = new(replacement.Status.ToString()),
            [":state"] = new(replacement.ListState),
            [":failures"] = Number(replacement.ConsecutiveFailures),
            [":version"] = Number(replacement.Version),
            [":expected"] = Number(expectedVersion),
        };
        var set = new List<string> { "#status = :status", "#state = :state", "#failures = :failures", "#version = :version" };
        var remove = new List<string>();
        void Optional(string placeholder, string? value)
        {
            if (value is null)
            {
                remove.Add(placeholder);
                return;
            }

            set.Add($"{placeholder} = :{placeholder[1..]}");
            values[":" + placeholder[1..]] = new AttributeValue(value);
        }

        Optional("#since", Time(replacement.FailingSince));
        Optional("#until", Time(replacement.Until));
        Optional("#reason", replacement.DisabledReason);
        try
        {
            await dynamoDb.UpdateItemAsync(new UpdateItemRequest
            {
                TableName = table,
                Key = new() { [Key] = new AttributeValue(endpointId) },
                UpdateExpression = "SET " + string.Join(", ", set) + (remove.Count > 0 ? " REMOVE " + string.Join(", ", remove) : ""),
                // Version 0 is a circuit never stored: the item may be absent, or hold only the URL and topic.
                ConditionExpression = expectedVersion == 0 ? "attribute_not_exists(#version) OR #version = :expected" : "#version = :expected",
                ExpressionAttributeNames = names,
                ExpressionAttributeValues = values,
            }, cancellationToken);
            return true;
        }
        catch (ConditionalCheckFailedException)
        {
            return false;
        }
    }

    /// <summary>Keeps the subscription's URL and topic on its item (creating it when absent), for
    /// <c>pubsub webhooks list</c>; the circuit is left as it is.</summary>
    public Task RememberAsync(string endpointId, string url, string topic, CancellationToken cancellationToken) =>
        dynamoDb.UpdateItemAsync(new UpdateItemRequest
        {
            TableName = table,
            Key = new() { [Key] = new AttributeValue(endpointId) },
            UpdateExpression = "SET #url = :url, #topic = :topic",
            ExpressionAttributeNames = new() { ["#url"] = Url, ["#topic"] = Topic },
            ExpressionAttributeValues = new() { [":url"] = new AttributeValue(url), [":topic"] = new AttributeValue(topic) },
        }, cancellationToken);

    internal static CircuitState FromItem(Dictionary<string, AttributeValue> item)
    {
        string? Text(string name) => item.TryGetValue(name, out var value) ? value.S : null;
        long Long(string name) => item.TryGetValue(name, out var value) && value.N is { } n ? long.Parse(n, CultureInfo.InvariantCulture) : 0;
        DateTimeOffset? When(string name) => Text(name) is { } text
            ? DateTimeOffset.Parse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal)
            : null;

        return new CircuitState(
            Enum.TryParse<CircuitStatus>(Text(Status), out var status) ? status : CircuitStatus.Closed,
            (int)Long(Failures),
            When(FailingSince),
            When(Until),
            Text(DisabledReason),
            Long(Version));
    }

    private static string? Time(DateTimeOffset? time) => time?.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static AttributeValue Number(long value) => new() { N = value.ToString(CultureInfo.InvariantCulture) };
}
