using Amazon.Runtime;
using Amazon.Runtime.Endpoints;
using Amazon.Runtime.Internal;
using PubSub.Aws;

namespace Amazon.SimpleNotificationService;

/// <summary>Client settings for SNS. Region, credentials, retries and the endpoint
/// (<c>AWS_ENDPOINT_URL_SNS</c>, <c>AWS_ENDPOINT_URL</c>, profiles) resolve as in the official SDK.</summary>
public sealed class AmazonSimpleNotificationServiceConfig : ClientConfig
{
    public AmazonSimpleNotificationServiceConfig()
        : base(new DefaultConfigurationProvider(StandardDefaults.All))
    {
        AwsTimeouts.Apply(this);
        ServiceId = "SNS";
        AuthenticationServiceName = "sns";
    }

    public override string RegionEndpointServiceName => "sns";

    public override string ServiceVersion => "2010-03-31";

    public override string UserAgent => StandardDefaults.UserAgent;

    /// <summary>Endpoint rules are not used: the endpoint is the configured URL or the regional default.</summary>
    public override Endpoint DetermineServiceOperationEndpoint(ServiceOperationEndpointParameters parameters) =>
        new(AwsServiceEndpoint.Resolve(this, "sns", "sns").Url.ToString());
}
