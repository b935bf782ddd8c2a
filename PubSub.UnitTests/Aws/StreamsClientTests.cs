using System.Net;
using Amazon.DynamoDBStreams;
using Amazon.DynamoDBStreams.Model;
using PubSub.Aws.DynamoDBStreams;
using PubSub.UnitTests.Fakes;

namespace PubSub.UnitTests.Aws;

public sealed class StreamsClientTests
{
    private static readonly IReadOnlyList<(string Target, string Body)> Wire =
        [.. WireReference.Lines("streams-requests.txt").Select(l => l.Split('\t')).Select(p => (p[0], p[1]))];

    private static async Task<RecordedRequest> RequestOf(Func<AmazonDynamoDBStreamsClient, Task> call, string response)
    {
        var handler = new RecordingHandler().Respond(HttpStatusCode.OK, response, "application/x-amz-json-1.0");
        using var client = TestClients.Streams(handler);
        await call(client);
        return Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task Every_operation_matches_the_official_sdk_byte_for_byte()
    {
        RecordedRequest[] requests =
        [
            await RequestOf(c => c.ListStreamsAsync(new ListStreamsRequest { TableName = "T", Limit = 10 }), """{"Streams":[]}"""),
            await RequestOf(c => c.DescribeStreamAsync(new DescribeStreamRequest { StreamArn = "arn:s", Limit = 100, ExclusiveStartShardId = "shardId-0" }),
                """{"StreamDescription":{"StreamArn":"arn:s","Shards":[]}}"""),
            await RequestOf(c => c.GetShardIteratorAsync(new GetShardIteratorRequest { StreamArn = "arn:s", ShardId = "shardId-1", ShardIteratorType = ShardIteratorType.TRIM_HORIZON }),
                """{"ShardIterator":"iter-1"}"""),
            await RequestOf(c => c.GetRecordsAsync(new GetRecordsRequest { ShardIterator = "iter-1", Limit = 1000 }), """{"Records":[]}"""),
        ];

        Assert.Equal(Wire.Select(w => w.Target), requests.Select(r => r.Headers["X-Amz-Target"]));
        Assert.Equal(Wire.Select(w => w.Body), requests.Select(r => r.Body));
        Assert.All(requests, r => Assert.Equal("application/x-amz-json-1.0", r.Headers["Content-Type"]));
        Assert.All(requests, r => Assert.Contains("/us-east-1/dynamodb/aws4_request", r.Headers["Authorization"], StringComparison.Ordinal));
    }

    [Fact]
    public async Task DescribeStream_reads_shards_lineage_and_paging()
    {
        const string json = """
            {"StreamDescription":{"StreamArn":"arn:aws:dynamodb:ddblocal:000000000000:table/T/stream/2024","StreamLabel":"2024",
             "StreamStatus":"ENABLED","StreamViewType":"NEW_IMAGE","CreationRequestDateTime":1714000000.5,"TableName":"T",
             "KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],
             "Shards":[{"ShardId":"shardId-1","SequenceNumberRange":{"StartingSequenceNumber":"100","EndingSequenceNumber":"200"}},
                       {"ShardId":"shardId-2","ParentShardId":"shardId-1","SequenceNumberRange":{"StartingSequenceNumber":"201"}}],
             "LastEvaluatedShardId":"shardId-2"}}
            """;
        var handler = new RecordingHandler().Respond(HttpStatusCode.OK, json, "application/x-amz-json-1.0");
        using var client = TestClients.Streams(handler);

        var description = (await client.DescribeStreamAsync(new DescribeStreamRequest { StreamArn = "arn" })).StreamDescription;

        Assert.Equal("NEW_IMAGE", description.StreamViewType);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1714000000500), description.CreationRequestDateTime);
        Assert.Equal([new KeySchemaElement("pk", "HASH")], description.KeySchema);
        Assert.True(description.Shards[0].IsClosed);
        Assert.False(description.Shards[1].IsClosed);
        Assert.Equal("shardId-1", description.Shards[1].ParentShardId);
        Assert.Equal("shardId-2", description.LastEvaluatedShardId);
    }

    [Fact]
    public async Task GetRecords_reads_records_with_every_attribute_type_and_epoch_times()
    {
        const string json = """
            {"Records":[{"eventID":"e1","eventName":"INSERT","eventVersion":"1.1","eventSource":"aws:dynamodb","awsRegion":"us-east-1",
              "dynamodb":{"ApproximateCreationDateTime":1714000000,"Keys":{"pk":{"S":"k"}},
                "NewImage":{"pk":{"S":"k"},"n":{"N":"1.5"},"b":{"B":"AQID"},"t":{"BOOL":true},"z":{"NULL":true},
                  "ss":{"SS":["a","b"]},"ns":{"NS":["1","2"]},"bs":{"BS":["AQ=="]},"l":{"L":[{"S":"x"},{"N":"2"}]},"m":{"M":{"inner":{"S":"y"}}}},
                "SequenceNumber":"300","SizeBytes":42,"StreamViewType":"NEW_IMAGE"}}],
             "NextShardIterator":"iter-2"}
            """;
        var handler = new RecordingHandler().Respond(HttpStatusCode.OK, json, "application/x-amz-json-1.0");
        using var client = TestClients.Streams(handler);

        var response = await client.GetRecordsAsync(new GetRecordsRequest { ShardIterator = "iter-1" });

        var record = Assert.Single(response.Records);
        Assert.Equal(("e1", "INSERT", "us-east-1"), (record.EventId, record.EventName?.Value, record.AwsRegion));
        var stream = record.Dynamodb!;
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1714000000), stream.ApproximateCreationDateTime);
        Assert.Equal(("300", 42L), (stream.SequenceNumber, stream.SizeBytes));
        var image = stream.NewImage!;
        Assert.Equal("1.5", image["n"].N);
        Assert.Equal([1, 2, 3], image["b"].B.ToArray());
        Assert.True(image["t"].BOOL);
        Assert.True(image["z"].NULL);
        Assert.Equal(["a", "b"], image["ss"].SS);
        Assert.Equal(["1", "2"], image["ns"].NS);
        Assert.Equal([1], image["bs"].BS[0].ToArray());
        Assert.Equal(["x", null], image["l"].L.Select(v => v.S));
        Assert.Equal("y", image["m"].M["inner"].S);
        Assert.Equal("iter-2", response.NextShardIterator);
    }

    [Fact]
    public async Task A_stream_record_survives_a_round_trip_through_its_wire_json()
    {
        const string json = """{"eventID":"e1","eventName":"INSERT","dynamodb":{"ApproximateCreationDateTime":1714000000,"NewImage":{"pk":{"S":"k"},"m":{"M":{"l":{"L":[{"N":"1"},{"BOOL":false}]}}}},"SequenceNumber":"7"}}""";

        var record = StreamRecordJson.Deserialize(json)!;

        Assert.Equal(json, StreamRecordJson.Serialize(record));
    }

    [Fact]
    public async Task An_expired_iterator_is_a_typed_error_that_is_not_retried()
    {
        var handler = new RecordingHandler().Respond(HttpStatusCode.BadRequest,
            """{"__type":"com.amazonaws.dynamodb.v20120810#ExpiredIteratorException","message":"Iterator expired"}""",
            "application/x-amz-json-1.0");
        using var client = TestClients.Streams(handler);

        var error = await Assert.ThrowsAsync<AmazonDynamoDBStreamsException>(
            () => client.GetRecordsAsync(new GetRecordsRequest { ShardIterator = "old" }));

        Assert.Equal(AmazonDynamoDBStreamsException.ExpiredIterator, error.ErrorCode);
        Assert.Equal("Iterator expired", error.Message);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task Limit_exceeded_and_server_errors_are_retried()
    {
        var handler = new RecordingHandler()
            .Respond(HttpStatusCode.BadRequest, """{"__type":"com.amazonaws.dynamodb.v20120810#LimitExceededException","Message":"slow"}""", "application/x-amz-json-1.0")
            .Respond(HttpStatusCode.InternalServerError, """{"__type":"com.amazonaws.dynamodb.v20120810#InternalServerError"}""", "application/x-amz-json-1.0")
            .Respond(HttpStatusCode.OK, """{"Records":[]}""", "application/x-amz-json-1.0");
        using var client = TestClients.Streams(handler);

        var response = await client.GetRecordsAsync(new GetRecordsRequest { ShardIterator = "i" });

        Assert.Empty(response.Records);
        Assert.Equal(3, handler.Requests.Count);
    }
}
