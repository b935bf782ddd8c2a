using Amazon.DynamoDBStreams;
using Amazon.SimpleNotificationService;

namespace PubSub.UnitTests.Aws;

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ProcessEnvironmentCollection
{
    public const string Name = "Process environment";
}

/// <summary>Endpoints resolve as in the official SDK: service-specific variable, then the global one,
/// then the public regional endpoint.</summary>
[Collection(ProcessEnvironmentCollection.Name)]
public sealed class EndpointResolutionTests : IDisposable
{
    private static readonly string[] Variables =
        ["AWS_REGION", "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_SNS", "AWS_ENDPOINT_URL_DYNAMODB_STREAMS"];

    private readonly Dictionary<string, string?> _saved = Variables.ToDictionary(v => v, Environment.GetEnvironmentVariable);

    public EndpointResolutionTests()
    {
        foreach (var variable in Variables)
        {
            Environment.SetEnvironmentVariable(variable, null);
        }

        Environment.SetEnvironmentVariable("AWS_REGION", "eu-west-1");
        Amazon.Runtime.FallbackRegionFactory.Reset(); // the SDK caches the region it found
    }

    public void Dispose()
    {
        foreach (var (variable, value) in _saved)
        {
            Environment.SetEnvironmentVariable(variable, value);
        }

        Amazon.Runtime.FallbackRegionFactory.Reset();
    }

    [Fact]
    public void Without_overrides_the_clients_use_the_public_regional_endpoints()
    {
        using var sns = new AmazonSimpleNotificationServiceClient(credentials: Fakes.TestClients.Credentials);
        using var streams = new AmazonDynamoDBStreamsClient(credentials: Fakes.TestClients.Credentials);

        Assert.Equal("https://sns.eu-west-1.amazonaws.com/", sns.EndpointUrl.ToString());
        Assert.Equal("https://streams.dynamodb.eu-west-1.amazonaws.com/", streams.EndpointUrl.ToString());
    }

    [Fact]
    public void The_service_specific_variables_win_over_the_global_one()
    {
        Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL", "http://global:1");
        Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_SNS", "http://sns-only:2");
        Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL_DYNAMODB_STREAMS", "http://streams-only:3");
        using var sns = new AmazonSimpleNotificationServiceClient(credentials: Fakes.TestClients.Credentials);
        using var streams = new AmazonDynamoDBStreamsClient(credentials: Fakes.TestClients.Credentials);

        Assert.Equal("http://sns-only:2/", sns.EndpointUrl.ToString());
        Assert.Equal("http://streams-only:3/", streams.EndpointUrl.ToString());
    }

    [Fact]
    public void The_global_variable_applies_when_no_service_specific_one_is_set()
    {
        Environment.SetEnvironmentVariable("AWS_ENDPOINT_URL", "http://global:1");
        using var sns = new AmazonSimpleNotificationServiceClient(credentials: Fakes.TestClients.Credentials);

        Assert.Equal("http://global:1/", sns.EndpointUrl.ToString());
    }

    [Fact]
    public void Without_a_region_the_client_says_how_to_set_one()
    {
        Environment.SetEnvironmentVariable("AWS_REGION", null);
        Environment.SetEnvironmentVariable("AWS_DEFAULT_REGION", null);
        Environment.SetEnvironmentVariable("AWS_PROFILE", "pubsub-test-profile-that-does-not-exist");
        Amazon.Runtime.FallbackRegionFactory.Reset();
        try
        {
            var error = Assert.ThrowsAny<Exception>(() => new AmazonSimpleNotificationServiceClient(credentials: Fakes.TestClients.Credentials));
            Assert.Contains("region", error.Message, StringComparison.OrdinalIgnoreCase);
        }
        finally
        {
            Environment.SetEnvironmentVariable("AWS_PROFILE", null);
        }
    }
}
