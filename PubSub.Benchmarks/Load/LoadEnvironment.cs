using Amazon.DynamoDBv2;
using Amazon.SQS;
using Microsoft.Extensions.Logging.Abstractions;
using PubSub.Aws;
using Amazon.SimpleNotificationService;
using PubSub.Definition;
using PubSub.Emulators;
using PubSub.Provisioning;

namespace PubSub.Benchmarks.Load;

/// <summary>What every load harness starts with: a fresh emulator pair that this process's AWS clients
/// point at, and a definition provisioned on it.</summary>
internal static class LoadEnvironment
{
    /// <summary>The 1, 5 and 15 minute load averages: the machine is shared, and the load at the time says how far to
    /// trust the figures.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    public static async Task<(EmbeddedEmulators Emulators, SystemDefinition Definition, ProvisionedResources Resources)> StartAsync(string definitionPath)
    {
        var emulators = await EmbeddedEmulators.StartAsync();
        foreach (var (name, value) in emulators.EnvironmentVariables)
        {
            Environment.SetEnvironmentVariable(name, value);
        }

        var definition = SystemDefinitionLoader.Load(definitionPath);
        using var dynamoDb = new AmazonDynamoDBClient();
        using var sqs = new AmazonSQSClient();
        using var s3 = AwsClientFactory.CreateS3();
        using var sns = new AmazonSimpleNotificationServiceClient();
        var resources = await new LocalProvisioner(dynamoDb, sqs, s3, sns, NullLogger<LocalProvisioner>.Instance).ProvisionAsync(definition, default);
        return (emulators, definition, resources);
    }
}
