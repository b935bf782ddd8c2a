namespace PubSub.UnitTests.Aws;

/// <summary>SNS answers in the shape AWS documents for each action.</summary>
internal static class SnsResponses
{
    private const string Ns = "http://sns.amazonaws.com/doc/2010-03-31/";

    public static string Wrap(string action, string result) =>
        $"""<{action}Response xmlns="{Ns}"><{action}Result>{result}</{action}Result><ResponseMetadata><RequestId>req-{action}</RequestId></ResponseMetadata></{action}Response>""";

    public static string Empty(string action) =>
        $"""<{action}Response xmlns="{Ns}"><ResponseMetadata><RequestId>req-{action}</RequestId></ResponseMetadata></{action}Response>""";

    public static readonly string Publish = Wrap("Publish", "<MessageId>94f20ce6-13c5-43a0-9a9e-ca52d816e90b</MessageId><SequenceNumber>10000000000000003000</SequenceNumber>");

    public static readonly string PublishBatchAllSucceeded = Wrap("PublishBatch",
        "<Successful><member><Id>a</Id><MessageId>m-a</MessageId></member><member><Id>b</Id><MessageId>m-b</MessageId></member></Successful><Failed/>");

    public static readonly string CreateTopic = Wrap("CreateTopic", "<TopicArn>arn:aws:sns:us-east-1:123456789012:orders.fifo</TopicArn>");

    public static readonly string Subscribe = Wrap("Subscribe", "<SubscriptionArn>arn:aws:sns:us-east-1:123456789012:orders.fifo:6b0e71bd</SubscriptionArn>");

    public static string Error(string type, string code, string message) =>
        $"""<ErrorResponse xmlns="{Ns}"><Error><Type>{type}</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>req-error</RequestId></ErrorResponse>""";
}
