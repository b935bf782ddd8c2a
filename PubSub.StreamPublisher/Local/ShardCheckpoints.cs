using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace PubSub.StreamPublisher.Local;

/// <summary>Where the local poller has got to in each shard, kept so that a restart resumes there:
/// nothing is lost, and only the batch in flight when the process stopped can be published twice.
/// (On AWS the event source mapping keeps this position itself.)</summary>
internal interface IShardCheckpoints
{
    Task<IReadOnlyDictionary<string, ShardCheckpoint>> LoadAsync(string streamArn, CancellationToken cancellationToken);

    Task SaveAsync(string streamArn, string shardId, ShardCheckpoint checkpoint, CancellationToken cancellationToken);
}

/// <param name="SequenceNumber">The last record handled; null when none was.</param>
/// <param name="Finished">The shard is closed and was read to its end.</param>
internal sealed record ShardCheckpoint(string? SequenceNumber, bool Finished);

/// <summary>Checkpoints in a small DynamoDB table (stream ARN, shard id), created on first use.</summary>
internal sealed partial class DynamoDbShardCheckpoints(IAmazonDynamoDB dynamoDb, string table, ILogger<DynamoDbShardCheckpoints> logger)
    : IShardCheckpoints
{
    private const string StreamKey = "stream";
    private const string ShardKey = "shard";
    private bool _tableReady;

    public string Table => table;

    public async Task<IReadOnlyDictionary<string, ShardCheckpoint>> LoadAsync(string streamArn, CancellationToken cancellationToken)
    {
        await EnsureTableAsync(cancellationToken);
        var checkpoints = new Dictionary<string, ShardCheckpoint>(StringComparer.Ordinal);
        Dictionary<string, AttributeValue>? startKey = null;
        do
        {
            var page = await dynamoDb.QueryAsync(new QueryRequest
            {
                TableName = table,
                KeyConditionExpression = "#s = :s",
                ExpressionAttributeNames = new() { ["#s"] = StreamKey },
                ExpressionAttributeValues = new() { [":s"] = new AttributeValue { S = streamArn } },
                ExclusiveStartKey = startKey,
                ConsistentRead = true,
            }, cancellationToken);
            foreach (var item in page.Items)
            {
                checkpoints[item[ShardKey].S] = new ShardCheckpoint(
                    item.TryGetValue("sequenceNumber", out var sequence) ? sequence.S : null,
                    item.TryGetValue("finished", out var finished) && finished.BOOL == true);
            }

            startKey = page.LastEvaluatedKey is { Count: > 0 } last ? last : null;
        }
        while (startKey is not null);

        return checkpoints;
    }

    public async Task SaveAsync(string streamArn, string shardId, ShardCheckpoint checkpoint, CancellationToken cancellationToken)
    {
        var item = new Dictionary<string, AttributeValue>
        {
            [StreamKey] = new() { S = streamArn },
            [ShardKey] = new() { S = shardId },
            ["finished"] = new() { BOOL = checkpoint.Finished },
        };
        if (checkpoint.SequenceNumber is { } sequence)
        {
            item["sequenceNumber"] = new AttributeValue { S = sequence };
        }

        try
        {
            await dynamoDb.PutItemAsync(new PutItemRequest { TableName = table, Item = item }, cancellationToken);
        }
        catch (ResourceNotFoundException)
        {
            _tableReady = false; // the emulator restarted empty: create the table again, then save
            await EnsureTableAsync(cancellationToken);
            await dynamoDb.PutItemAsync(new PutItemRequest { TableName = table, Item = item }, cancellationToken);
        }
    }

    private async Task EnsureTableAsync(CancellationToken cancellationToken)
    {
        if (_tableReady)
        {
            return;
        }

        try
        {
            await dynamoDb.CreateTableAsync(new CreateTableRequest
            {
                TableName = table,
                BillingMode = BillingMode.PAY_PER_REQUEST,
                AttributeDefinitions =
                [
                    new AttributeDefinition(StreamKey, ScalarAttributeType.S),
                    new AttributeDefinition(ShardKey, ScalarAttributeType.S),
                ],
                KeySchema = [new KeySchemaElement(StreamKey, KeyType.HASH), new KeySchemaElement(ShardKey, KeyType.RANGE)],
            }, cancellationToken);
            LogCreated(table);
        }
        catch (ResourceInUseException)
        {
            // it exists already
        }

        for (var attempt = 0; attempt < 50; attempt++)
        {
            var status = (await dynamoDb.DescribeTableAsync(table, cancellationToken)).Table.TableStatus;
            if (status == TableStatus.ACTIVE)
            {
                _tableReady = true;
                return;
            }

            await Task.Delay(200, cancellationToken);
        }

        throw new AmazonDynamoDBException($"The checkpoint table {table} did not become active.");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Created the shard checkpoint table {Table}")]
    private partial void LogCreated(string table);
}
