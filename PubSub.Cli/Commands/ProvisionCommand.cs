using System.CommandLine;
using System.Text.Json;
using Amazon.DynamoDBv2;
using Amazon.SQS;
using PubSub.Aws;
using Amazon.SimpleNotificationService;
using PubSub.Provisioning;

namespace PubSub.Cli.Commands;

/// <summary><c>pubsub provision</c>: creates the definition's table, queues, topics, bucket and
/// subscriptions where the AWS configuration points (an emulator, LocalStack). Idempotent.</summary>
internal static class ProvisionCommand
{
    public static Command Create()
    {
        var definition = CommonOptions.Definition();
        var local = CommonOptions.Local();
        var json = CommonOptions.Json();
        var command = new Command("provision",
            "Create the system definition's resources in the configured AWS endpoint (for local emulators and LocalStack; deploy to AWS with CloudFormation).")
        {
            definition, local, json,
        };
        command.SetAction((parse, cancellationToken) => CommandRunner.RunAsync(ct => ProvisionAsync(
            parse.GetValue(definition), parse.GetValue(local), parse.GetValue(json), ct), cancellationToken));
        return command;
    }

    private static async Task<int> ProvisionAsync(FileInfo? definition, bool local, bool json, CancellationToken ct)
    {
        var system = CommonOptions.LoadDefinition(definition);
        CommonOptions.UseLocalStack(local);

        using var dynamoDb = new AmazonDynamoDBClient();
        using var sqs = new AmazonSQSClient();
        using var s3 = AwsClientFactory.CreateS3();
        using var sns = new AmazonSimpleNotificationServiceClient();
        var provisioner = new LocalProvisioner(dynamoDb, sqs, s3, sns, new ConsoleLogger<LocalProvisioner>(quiet: json));
        var resources = await provisioner.ProvisionAsync(system, ct);
        Console.WriteLine(json
            ? JsonSerializer.Serialize(resources, CliJsonContext.Default.ProvisionedResources)
            : $"Provisioned {system.Name}: table {resources.TableName}, {resources.TopicArns.Count} topics, {resources.QueueUrls.Count} queues, bucket {resources.ArchiveBucket}.");
        return ExitCodes.Success;
    }
}
