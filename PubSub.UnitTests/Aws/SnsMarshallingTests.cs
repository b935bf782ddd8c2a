using CsCheck;
using System.Net;
using Amazon.SimpleNotificationService.Model;
using PubSub.UnitTests.Fakes;

namespace PubSub.UnitTests.Aws;

public sealed class SnsMarshallingTests
{
    private const string TopicArn = "arn:aws:sns:us-east-1:123456789012:orders.fifo";
    private static readonly IReadOnlyList<string> Wire = WireReference.Lines("sns-requests.txt");

    private static async Task<string> BodyOf(Func<Amazon.SimpleNotificationService.AmazonSimpleNotificationServiceClient, Task> call, string response)
    {
        var handler = new RecordingHandler().Respond(HttpStatusCode.OK, response);
        using var client = TestClients.Sns(handler);
        await call(client);
        return Assert.Single(handler.Requests).Body;
    }

    [Fact]
    public async Task Publish_with_every_attribute_type_matches_the_official_sdk_byte_for_byte()
    {
        var body = await BodyOf(c => c.PublishAsync(new PublishRequest
        {
            Message = "hello & welcome",
            TopicArn = TopicArn,
            Subject = "subj",
            MessageAttributes = new()
            {
                ["eventType"] = new MessageAttributeValue { DataType = "String", StringValue = "OrderPlaced" },
                ["count"] = new() { DataType = "Number", StringValue = "3" },
                ["blob"] = new() { DataType = "Binary", BinaryValue = new MemoryStream([1, 2, 3]) },
            },
            MessageDeduplicationId = "d1",
            MessageGroupId = "g1",
        }), SnsResponses.Publish);

        Assert.Equal(Wire[0], body);
    }

    [Fact]
    public async Task PublishBatch_matches_the_official_sdk_byte_for_byte()
    {
        var body = await BodyOf(c => c.PublishBatchAsync(new PublishBatchRequest
        {
            TopicArn = TopicArn,
            PublishBatchRequestEntries =
            [
                new() { Id = "a", Message = "m1", MessageAttributes = new() { ["k"] = new MessageAttributeValue { DataType = "String", StringValue = "v" } }, MessageDeduplicationId = "d1", MessageGroupId = "g1" },
                new() { Id = "b", Message = "m2", MessageDeduplicationId = "d2", MessageGroupId = "g1" },
            ],
        }), SnsResponses.PublishBatchAllSucceeded);

        Assert.Equal(Wire[1], body);
    }

    [Fact]
    public async Task CreateTopic_with_attributes_and_tags_matches_the_official_sdk_byte_for_byte()
    {
        var body = await BodyOf(c => c.CreateTopicAsync(new CreateTopicRequest
        {
            Name = "orders.fifo",
            Attributes = new() { ["FifoTopic"] = "true", ["ContentBasedDeduplication"] = "false" },
            Tags = [new Tag("env", "test")],
        }), SnsResponses.CreateTopic);

        Assert.Equal(Wire[2], body);
    }

    [Fact]
    public async Task Subscribe_with_a_filter_policy_matches_the_official_sdk_byte_for_byte()
    {
        var body = await BodyOf(c => c.SubscribeAsync(new SubscribeRequest
        {
            TopicArn = TopicArn,
            Protocol = "sqs",
            Endpoint = "arn:aws:sqs:us-east-1:123456789012:q.fifo",
            Attributes = new() { ["RawMessageDelivery"] = "true", ["FilterPolicy"] = """{"eventType":["OrderPlaced"]}""" },
            ReturnSubscriptionArn = true,
        }), SnsResponses.Subscribe);

        Assert.Equal(Wire[3], body);
    }

    [Fact]
    public async Task A_minimal_Publish_matches_the_official_sdk_byte_for_byte()
    {
        var body = await BodyOf(c => c.PublishAsync(new PublishRequest { Message = "x", TopicArn = TopicArn }), SnsResponses.Publish);

        Assert.Equal(Wire[4], body);
    }

    [Fact]
    public async Task Requests_are_signed_with_sigv4_for_sns_in_the_configured_region()
    {
        var handler = new RecordingHandler().Respond(HttpStatusCode.OK, SnsResponses.Publish);
        using var client = TestClients.Sns(handler);

        await client.PublishAsync(new PublishRequest { Message = "x", TopicArn = TopicArn });

        var request = Assert.Single(handler.Requests);
        Assert.Equal(HttpMethod.Post, request.Method);
        Assert.Equal("http://sns.test/", request.Uri.ToString());
        Assert.StartsWith("application/x-www-form-urlencoded", request.Headers["Content-Type"], StringComparison.Ordinal);
        var authorization = request.Headers["Authorization"];
        Assert.StartsWith("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/", authorization, StringComparison.Ordinal);
        Assert.Contains("/us-east-1/sns/aws4_request", authorization, StringComparison.Ordinal);
        Assert.Contains("SignedHeaders=", authorization, StringComparison.Ordinal);
        Assert.Matches("^[0-9]{8}T[0-9]{6}Z$", request.Headers["X-Amz-Date"]);
    }

    [Fact]
    public async Task Unsubscribe_DeleteTopic_and_SetSubscriptionAttributes_send_their_parameters()
    {
        var handler = new RecordingHandler().Respond(HttpStatusCode.OK, SnsResponses.Empty("Unsubscribe"));
        using var client = TestClients.Sns(handler);

        await client.UnsubscribeAsync(new UnsubscribeRequest("arn:sub:1"));
        await client.DeleteTopicAsync(new DeleteTopicRequest("arn:topic:1"));
        await client.SetSubscriptionAttributesAsync(new SetSubscriptionAttributesRequest("arn:sub:1", "RawMessageDelivery", "true"));
        await client.ListSubscriptionsByTopicAsync(new ListSubscriptionsByTopicRequest { TopicArn = "arn:topic:1", NextToken = "n 1" });

        Assert.Equal(
        [
            "Action=Unsubscribe&Version=2010-03-31&SubscriptionArn=arn%3Asub%3A1",
            "Action=DeleteTopic&Version=2010-03-31&TopicArn=arn%3Atopic%3A1",
            "Action=SetSubscriptionAttributes&Version=2010-03-31&SubscriptionArn=arn%3Asub%3A1&AttributeName=RawMessageDelivery&AttributeValue=true",
            "Action=ListSubscriptionsByTopic&Version=2010-03-31&TopicArn=arn%3Atopic%3A1&NextToken=n%201",
        ], handler.Requests.Select(r => r.Body));
    }

    [Fact]
    public async Task Characters_outside_rfc3986_unreserved_are_percent_encoded_as_utf8()
    {
        var body = await BodyOf(c => c.PublishAsync(new PublishRequest { Message = "a+b=c/d?é~*'()!", TopicArn = "t" }), SnsResponses.Publish);

        Assert.Equal("Action=Publish&Version=2010-03-31&Message=a%2Bb%3Dc%2Fd%3F%C3%A9~%2A%27%28%29%21&TopicArn=t", body);
    }

    [Fact]
    public void Any_text_is_encoded_as_Uri_EscapeDataString_encodes_it() =>
        Gen.String.Sample(text =>
        {
            var body = new PubSub.Aws.SimpleNotificationService.Internal.QueryRequestWriter("Publish", "v").Add("Message", text).ToString();
            Assert.Equal("Action=Publish&Version=v&Message=" + Uri.EscapeDataString(text), body);
        });

    [Theory]
    [InlineData("emoji 😀 and CJK 漢字", "emoji%20%F0%9F%98%80%20and%20CJK%20%E6%BC%A2%E5%AD%97")]
    [InlineData("", "")]
    public void Non_ascii_text_is_encoded_as_utf8(string text, string expected) =>
        Assert.Equal("Action=Publish&Version=v&Message=" + expected,
            new PubSub.Aws.SimpleNotificationService.Internal.QueryRequestWriter("Publish", "v").Add("Message", text).ToString());

    [Fact]
    public void A_lone_surrogate_is_encoded_as_the_replacement_character() =>
        Assert.Equal("Action=Publish&Version=v&Message=%EF%BF%BD%20lone",
            new PubSub.Aws.SimpleNotificationService.Internal.QueryRequestWriter("Publish", "v").Add("Message", "\uD800 lone").ToString());

    [Fact]
    public void A_large_batch_body_grows_its_buffer_without_losing_anything()
    {
        var writer = new PubSub.Aws.SimpleNotificationService.Internal.QueryRequestWriter("PublishBatch", "v");
        var message = new string('é', 5000);
        for (var i = 1; i <= 10; i++)
        {
            writer.Add(PubSub.Aws.SimpleNotificationService.Internal.QueryRequestWriter.Prefix("E", "member", i), ".Message", message);
        }

        var body = System.Text.Encoding.ASCII.GetString(writer.ToUtf8Bytes());
        Assert.Equal(10, body.Split('&').Count(p => p.EndsWith(Uri.EscapeDataString(message), StringComparison.Ordinal)));
        Assert.Throws<InvalidOperationException>(() => writer.Add("late", "x"));
    }
}
