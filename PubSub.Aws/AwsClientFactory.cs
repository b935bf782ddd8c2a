using Amazon.DynamoDBv2;
using Amazon.S3;
using Amazon.SQS;

namespace PubSub.Aws;

/// <summary>The official SDK clients, each with this system's attempt timeout and retry count
/// (<see cref="AwsTimeouts"/>), so that they and the hand-written clients give up alike.</summary>
public static class AwsClientFactory
{
    public static AmazonSQSClient CreateSqs() => new(AwsTimeouts.Apply(new AmazonSQSConfig()));

    public static AmazonDynamoDBClient CreateDynamoDb() => new(AwsTimeouts.Apply(new AmazonDynamoDBConfig()));

    /// <summary>An S3 client; path-style addressing when a custom endpoint is configured, because
    /// emulators cannot resolve bucket names as host names.</summary>
    public static AmazonS3Client CreateS3()
    {
        var config = AwsTimeouts.Apply(new AmazonS3Config(), AwsTimeouts.S3Attempt);
        if (config.ServiceURL is { Length: > 0 } serviceUrl)
        {
            // Set it back explicitly: once read, an endpoint that came from AWS_ENDPOINT_URL_S3 is
            // otherwise lost when the client copies the config (seen with AWSSDK.S3 4.1.0).
            config.ServiceURL = serviceUrl;
            config.ForcePathStyle = true;
        }

        return new AmazonS3Client(config);
    }
}
