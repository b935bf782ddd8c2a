using Amazon.DynamoDBStreams;
using Amazon.DynamoDBv2;
using Amazon.S3;
using Amazon.SimpleNotificationService;
using Amazon.SQS;
using PubSub.Definition;
using PubSub.Provisioning;

namespace PubSub.IntegrationTests.Infrastructure;

/// <summary>An implementation of the AWS APIs that tests written once run against: the default emulators
/// (<see cref="AwsEmulatorsFixture"/>) or moto (<see cref="MotoFixture"/>), provisioned from the repository's definition.</summary>
public interface IAwsBackend
{
    SystemDefinition Definition { get; }

    ProvisionedResources Resources { get; }

    IAmazonDynamoDB DynamoDb { get; }

    IAmazonSQS Sqs { get; }

    IAmazonS3 S3 { get; }

    AmazonSimpleNotificationServiceClient Sns { get; }

    AmazonDynamoDBStreamsClient Streams { get; }
}
