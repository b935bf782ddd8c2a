using System.Net;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using PubSub.Aws.DynamoDB;
using PubSub.UnitTests.Fakes;

namespace PubSub.UnitTests.Aws;

public sealed class DynamoDbConditionalWriterTests
{
    private static readonly Dictionary<string, AttributeValue> Item = new()
    {
        ["pk"] = new AttributeValue { S = "demo#1" },
        ["n"] = new AttributeValue { N = "5" },
    };

    private static DynamoDbConditionalWriter Writer(RecordingHandler handler) =>
        new(new AmazonDynamoDBConfig { ServiceURL = "http://dynamodb.test/", AuthenticationRegion = "us-east-1" },
            TestClients.Credentials, handler, new InstantTimeProvider());

    [Fact]
    public async Task A_new_item_is_written_with_a_condition_on_its_key_and_asks_for_the_old_item_on_conflict()
    {
        var handler = new RecordingHandler().Respond(HttpStatusCode.OK, "{}", "application/x-amz-json-1.0");
        using var writer = Writer(handler);

        var result = await writer.PutIfAbsentAsync("events", Item, "pk", CancellationToken.None);

        Assert.True(result.Created);
        var request = Assert.Single(handler.Requests);
        Assert.Equal("DynamoDB_20120810.PutItem", request.Headers["X-Amz-Target"]);
        Assert.Equal("application/x-amz-json-1.0", request.Headers["Content-Type"]);
        Assert.Contains("/us-east-1/dynamodb/aws4_request", request.Headers["Authorization"], StringComparison.Ordinal);
        Assert.Equal(
            """{"TableName":"events","Item":{"pk":{"S":"demo#1"},"n":{"N":"5"}},"ConditionExpression":"attribute_not_exists(#key)","ExpressionAttributeNames":{"#key":"pk"},"ReturnValuesOnConditionCheckFailure":"ALL_OLD"}""",
            request.Body);
    }

    [Fact]
    public async Task An_existing_key_returns_the_stored_item_instead_of_an_error()
    {
        var handler = new RecordingHandler().Respond(HttpStatusCode.BadRequest,
            """{"__type":"com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException","message":"The conditional request failed","Item":{"pk":{"S":"demo#1"},"fingerprint":{"S":"abc"}}}""",
            "application/x-amz-json-1.0");
        using var writer = Writer(handler);

        var result = await writer.PutIfAbsentAsync("events", Item, "pk", CancellationToken.None);

        Assert.False(result.Created);
        Assert.Equal("abc", result.Existing!["fingerprint"].S);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task Throttling_is_retried_and_other_errors_are_typed()
    {
        var handler = new RecordingHandler()
            .Respond(HttpStatusCode.BadRequest, """{"__type":"com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException","message":"slow down"}""", "application/x-amz-json-1.0")
            .Respond(HttpStatusCode.BadRequest, """{"__type":"com.amazon.coral.validate#ValidationException","message":"Item size has exceeded the maximum allowed size"}""", "application/x-amz-json-1.0");
        using var writer = Writer(handler);

        var error = await Assert.ThrowsAsync<AmazonDynamoDBException>(() => writer.PutIfAbsentAsync("events", Item, "pk", CancellationToken.None));

        Assert.Equal(("ValidationException", "Item size has exceeded the maximum allowed size"), (error.ErrorCode, error.Message));
        Assert.Equal(2, handler.Requests.Count);
    }
}
