using Amazon.DynamoDBStreams;
using Amazon.DynamoDBStreams.Model;
using PubSub.Events;
using PubSub.IntegrationTests.Infrastructure;
using Record = Amazon.DynamoDBStreams.Model.Record;

namespace PubSub.IntegrationTests.Aws;

/// <summary>Our DynamoDB Streams client against DynamoDB Local (or LocalStack, or moto), on the Events table.</summary>
/// <remarks>Written once, run against each backend: <see cref="OnEmulators"/> and <see cref="OnMoto"/>.</remarks>
public abstract class StreamsClientTests(IAwsBackend aws)
{
    [Collection(AwsEmulatorsCollection.Name)]
    public sealed class OnEmulators(AwsEmulatorsFixture aws) : StreamsClientTests(aws);

    [Collection(MotoCollection.Name)]
    public sealed class OnMoto(MotoFixture aws) : StreamsClientTests(aws), IRunsOnMoto;

    [AwsFact]
    public async Task ListStreams_finds_the_events_table_stream()
    {
        var response = await aws.Streams.ListStreamsAsync(new ListStreamsRequest { TableName = aws.Definition.Events.Table });

        var stream = Assert.Single(response.Streams);
        Assert.Equal(aws.Resources.StreamArn, stream.StreamArn);
        Assert.Equal(aws.Definition.Events.Table, stream.TableName);
    }

    [AwsFact]
    public async Task DescribeStream_shows_a_new_image_stream_with_shards()
    {
        var description = (await aws.Streams.DescribeStreamAsync(new DescribeStreamRequest { StreamArn = aws.Resources.StreamArn })).StreamDescription;

        Assert.Equal("NEW_IMAGE", description.StreamViewType);
        Assert.Equal("ENABLED", description.StreamStatus);
        Assert.NotEmpty(description.Shards);
        Assert.Contains(description.KeySchema, k => k.AttributeName == EventItem.Key);
    }

    [AwsFact]
    public async Task A_written_item_comes_back_as_an_insert_record_with_its_new_image()
    {
        var shards = (await aws.Streams.DescribeStreamAsync(new DescribeStreamRequest { StreamArn = aws.Resources.StreamArn })).StreamDescription.Shards;
        var iterators = new List<string>();
        foreach (var shard in shards.Where(s => !s.IsClosed))
        {
            var iterator = await aws.Streams.GetShardIteratorAsync(new GetShardIteratorRequest
            {
                StreamArn = aws.Resources.StreamArn,
                ShardId = shard.ShardId,
                ShardIteratorType = ShardIteratorType.LATEST,
            });
            iterators.Add(iterator.ShardIterator!);
        }

        var id = Guid.NewGuid().ToString();
        await aws.DynamoDb.PutItemAsync(aws.Definition.Events.Table, EventItem.ToItem(new EventEnvelope
        {
            Id = id, Source = "it", Type = "it.written", Data = PubSub.Json.JsonPayload.FromString("""{"n":1}"""), Publisher = "it",
            ReceivedAt = DateTimeOffset.UtcNow, OriginRegion = "us-east-1",
        }, TimeSpan.FromDays(1)));

        var record = await FindAsync(iterators, r => r.Dynamodb?.Keys?[EventItem.Key].S == EventItem.KeyOf("it", id));

        Assert.Equal("INSERT", record.EventName?.Value);
        Assert.Equal("it.written", EventItem.FromItem(record.Dynamodb!.NewImage!).Type);
        Assert.NotNull(record.Dynamodb.SequenceNumber);
        Assert.InRange(record.Dynamodb.ApproximateCreationDateTime!.Value, DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(5));
    }

    [AwsFact]
    public async Task An_unknown_stream_raises_a_typed_resource_not_found_error()
    {
        var unknown = aws.Resources.StreamArn.Replace(aws.Definition.Events.Table, "no-such-table", StringComparison.Ordinal);

        var error = await Assert.ThrowsAsync<AmazonDynamoDBStreamsException>(
            () => aws.Streams.DescribeStreamAsync(new DescribeStreamRequest { StreamArn = unknown }));

        Assert.Equal(AmazonDynamoDBStreamsException.ResourceNotFound, error.ErrorCode);
    }

    private async Task<Record> FindAsync(List<string> iterators, Func<Record, bool> predicate)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!deadline.IsCancellationRequested)
        {
            for (var i = 0; i < iterators.Count; i++)
            {
                var page = await aws.Streams.GetRecordsAsync(new GetRecordsRequest { ShardIterator = iterators[i] });
                if (page.Records.FirstOrDefault(predicate) is { } found)
                {
                    return found;
                }

                iterators[i] = page.NextShardIterator ?? iterators[i];
            }

            await Task.Delay(200);
        }

        throw new TimeoutException("The written item did not appear in the stream within 20 s.");
    }
}
