using Amazon.Runtime;
using Amazon.DynamoDBStreams;
using Amazon.SimpleNotificationService;

namespace PubSub.UnitTests.Fakes;

internal static class TestClients
{
    public static readonly BasicAWSCredentials Credentials = new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");

    public static AmazonSimpleNotificationServiceClient Sns(RecordingHandler handler, TimeProvider? time = null) =>
        new(new AmazonSimpleNotificationServiceConfig
        {
            ServiceURL = "http://sns.test/",
            AuthenticationRegion = "us-east-1", // a ServiceURL clears RegionEndpoint
        }, Credentials, handler, time ?? new InstantTimeProvider());

    public static AmazonDynamoDBStreamsClient Streams(RecordingHandler handler, TimeProvider? time = null) =>
        new(new AmazonDynamoDBStreamsConfig
        {
            ServiceURL = "http://streams.test/",
            AuthenticationRegion = "us-east-1",
        }, Credentials, handler, time ?? new InstantTimeProvider());
}
