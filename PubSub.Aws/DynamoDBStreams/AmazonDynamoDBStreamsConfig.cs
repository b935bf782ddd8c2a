using Amazon.Runtime;
using Amazon.Runtime.Endpoints;
using Amazon.Runtime.Internal;
using PubSub.Aws;

namespace Amazon.DynamoDBStreams;

/// <summary>Client settings for DynamoDB Streams. The endpoint honours
/// <c>AWS_ENDPOINT_URL_DYNAMODB_STREAMS</c> and <c>AWS_ENDPOINT_URL</c>; requests are signed for
/// the service name <c>dynamodb</c>, as AWS requires.</summary>
public sealed class AmazonDynamoDBStreamsConfig : ClientConfig
{
    public AmazonDynamoDBStreamsConfig()
        : base(new DefaultConfigurationProvider(StandardDefaults.All))
    {
        AwsTimeouts.Apply(this);
        ServiceId = "DynamoDB Streams";
        AuthenticationServiceName = "dynamodb";
    }

    public override string RegionEndpointServiceName => "streams.dynamodb";

    public override string ServiceVersion => "2012-08-10";

    public override string UserAgent => StandardDefaults.UserAgent;

    public override Endpoint DetermineServiceOperationEndpoint(ServiceOperationEndpointParameters parameters) =>
        new(AwsServiceEndpoint.Resolve(this, "streams.dynamodb", "dynamodb").Url.ToString());
}
