using Amazon.S3;

namespace PubSub.Aws;

public static class AwsClientFactory
{
    /// <summary>An S3 client; path-style addressing when a custom endpoint is configured, because
    /// emulators cannot resolve bucket names as host names.</summary>
    public static AmazonS3Client CreateS3()
    {
        var config = new AmazonS3Config();
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
