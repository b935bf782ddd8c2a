using Amazon.Runtime;

namespace PubSub.Aws;

/// <summary>The SDK defaults our hand-written clients share: the standard retry mode.</summary>
internal static class StandardDefaults
{
    public const string UserAgent = "pubsub-aws-client/1.0";

    public static IDefaultConfiguration[] All { get; } =
    [
        new DefaultConfiguration { Name = DefaultConfigurationMode.Standard, RetryMode = RequestRetryMode.Standard },
    ];
}
