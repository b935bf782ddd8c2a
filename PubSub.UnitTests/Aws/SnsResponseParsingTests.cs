using System.Net;
using Amazon.Runtime;
using Amazon.SimpleNotificationService;
using Amazon.SimpleNotificationService.Model;
using PubSub.UnitTests.Fakes;

namespace PubSub.UnitTests.Aws;

public sealed class SnsResponseParsingTests
{
    [Fact]
    public async Task Publish_reads_the_message_id_sequence_number_and_request_id()
    {
        var handler = new RecordingHandler().Respond(HttpStatusCode.OK, SnsResponses.Publish);
        using var client = TestClients.Sns(handler);

        var response = await client.PublishAsync(new PublishRequest { Message = "x", TopicArn = "t" });

        Assert.Equal("94f20ce6-13c5-43a0-9a9e-ca52d816e90b", response.MessageId);
        Assert.Equal("10000000000000003000", response.SequenceNumber);
        Assert.Equal("req-Publish", response.RequestId);
    }

    [Fact]
    public async Task PublishBatch_reads_successful_and_failed_entries()
    {
        var xml = SnsResponses.Wrap("PublishBatch",
            "<Successful><member><Id>e0</Id><MessageId>m0</MessageId></member></Successful>" +
            "<Failed><member><Id>e1</Id><Code>InternalError</Code><Message>try again</Message><SenderFault>false</SenderFault></member>" +
            "<member><Id>e2</Id><Code>InvalidParameter</Code><Message>too long</Message><SenderFault>true</SenderFault></member></Failed>");
        var handler = new RecordingHandler().Respond(HttpStatusCode.OK, xml);
        using var client = TestClients.Sns(handler);

        var response = await client.PublishBatchAsync(new PublishBatchRequest { TopicArn = "t" });

        Assert.Equal([new PublishBatchResultEntry("e0", "m0", null)], response.Successful);
        Assert.Equal(
            [new BatchResultErrorEntry("e1", "InternalError", "try again", false), new BatchResultErrorEntry("e2", "InvalidParameter", "too long", true)],
            response.Failed);
    }

    [Fact]
    public async Task ListTopics_reads_topics_and_the_next_token()
    {
        var xml = SnsResponses.Wrap("ListTopics",
            "<Topics><member><TopicArn>arn:aws:sns:us-east-1:1:a</TopicArn></member><member><TopicArn>arn:aws:sns:us-east-1:1:b</TopicArn></member></Topics><NextToken>page2</NextToken>");
        var handler = new RecordingHandler().Respond(HttpStatusCode.OK, xml);
        using var client = TestClients.Sns(handler);

        var response = await client.ListTopicsAsync(new ListTopicsRequest());

        Assert.Equal(["arn:aws:sns:us-east-1:1:a", "arn:aws:sns:us-east-1:1:b"], response.Topics.Select(t => t.TopicArn));
        Assert.Equal("page2", response.NextToken);
    }

    [Fact]
    public async Task ListSubscriptionsByTopic_reads_every_field()
    {
        var xml = SnsResponses.Wrap("ListSubscriptionsByTopic",
            "<Subscriptions><member><TopicArn>arn:t</TopicArn><Protocol>sqs</Protocol><SubscriptionArn>arn:t:s1</SubscriptionArn><Owner>123</Owner><Endpoint>arn:q</Endpoint></member></Subscriptions>");
        var handler = new RecordingHandler().Respond(HttpStatusCode.OK, xml);
        using var client = TestClients.Sns(handler);

        var response = await client.ListSubscriptionsByTopicAsync(new ListSubscriptionsByTopicRequest { TopicArn = "arn:t" });

        Assert.Equal([new Subscription("arn:t:s1", "123", "sqs", "arn:q", "arn:t")], response.Subscriptions);
        Assert.Null(response.NextToken);
    }

    [Fact]
    public async Task An_error_answer_becomes_a_typed_exception_with_the_sns_code_and_is_not_retried()
    {
        var handler = new RecordingHandler().Respond(HttpStatusCode.NotFound, SnsResponses.Error("Sender", "NotFound", "Topic does not exist"));
        using var client = TestClients.Sns(handler);

        var error = await Assert.ThrowsAsync<AmazonSimpleNotificationServiceException>(
            () => client.PublishAsync(new PublishRequest { Message = "x", TopicArn = "t" }));

        Assert.Equal("NotFound", error.ErrorCode);
        Assert.Equal(ErrorType.Sender, error.ErrorType);
        Assert.Equal(HttpStatusCode.NotFound, error.StatusCode);
        Assert.Equal("req-error", error.RequestId);
        Assert.Equal("Topic does not exist", error.Message);
        Assert.Single(handler.Requests);
    }

    [Fact]
    public async Task Throttling_and_server_errors_are_retried_with_backoff_until_success()
    {
        var time = new InstantTimeProvider();
        var handler = new RecordingHandler()
            .Respond(HttpStatusCode.TooManyRequests, SnsResponses.Error("Sender", "Throttled", "slow down"))
            .Respond(HttpStatusCode.InternalServerError, SnsResponses.Error("Receiver", "InternalError", "oops"))
            .Respond(HttpStatusCode.OK, SnsResponses.Publish);
        using var client = TestClients.Sns(handler, time);

        var response = await client.PublishAsync(new PublishRequest { Message = "x", TopicArn = "t" });

        Assert.NotNull(response.MessageId);
        Assert.Equal(3, handler.Requests.Count);
        Assert.Equal(2, time.Delays.Count);
        Assert.All(time.Delays, d => Assert.InRange(d, TimeSpan.Zero, TimeSpan.FromSeconds(5)));
    }

    [Fact]
    public async Task Retries_end_after_the_configured_attempts_with_the_last_error()
    {
        var handler = new RecordingHandler().Respond(HttpStatusCode.InternalServerError, SnsResponses.Error("Receiver", "InternalError", "down"));
        using var client = TestClients.Sns(handler);

        var error = await Assert.ThrowsAsync<AmazonSimpleNotificationServiceException>(
            () => client.PublishAsync(new PublishRequest { Message = "x", TopicArn = "t" }));

        Assert.Equal("InternalError", error.ErrorCode);
        Assert.Equal(3, handler.Requests.Count); // the standard mode: 1 attempt + 2 retries
    }

    [Fact]
    public async Task An_unreachable_endpoint_is_retried_then_reported_as_a_client_exception()
    {
        var handler = new RecordingHandler().Throw(new HttpRequestException("Connection refused"));
        using var client = TestClients.Sns(handler);

        var error = await Assert.ThrowsAsync<AmazonClientException>(
            () => client.PublishAsync(new PublishRequest { Message = "x", TopicArn = "t" }));

        Assert.Contains("Connection refused", error.Message, StringComparison.Ordinal);
        Assert.Equal(3, handler.Requests.Count);
    }

    [Fact]
    public async Task A_body_that_is_not_xml_gives_an_error_named_after_the_status()
    {
        var handler = new RecordingHandler().Respond(HttpStatusCode.Forbidden, "<html>denied", "text/html");
        using var client = TestClients.Sns(handler);

        var error = await Assert.ThrowsAsync<AmazonSimpleNotificationServiceException>(
            () => client.PublishAsync(new PublishRequest { Message = "x", TopicArn = "t" }));

        Assert.Equal("AuthorizationError", error.ErrorCode);
    }

    [Fact]
    public async Task Cancellation_by_the_caller_stops_at_once_without_retrying()
    {
        var handler = new RecordingHandler().Respond(HttpStatusCode.OK, SnsResponses.Publish);
        using var client = TestClients.Sns(handler);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => client.PublishAsync(new PublishRequest { Message = "x", TopicArn = "t" }, cancelled.Token));
    }
}
