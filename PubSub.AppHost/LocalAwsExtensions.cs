using System.Diagnostics;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using PubSub.Emulators;

namespace PubSub.AppHost;

/// <summary>The local AWS: where DynamoDB (and its streams) and SNS, SQS and S3 answer, and the
/// resources a service must wait for.</summary>
internal sealed record LocalAws(EndpointReference DynamoDb, EndpointReference Messaging, IReadOnlyList<IResourceBuilder<IResource>> Resources);

internal static class LocalAwsExtensions
{
    /// <summary><c>LocalAws:Mode</c>: <c>auto</c> (the default: LocalStack when a Docker engine
    /// answers, else embedded), <c>embedded</c> or <c>localstack</c>.</summary>
    private const string ModeKey = "LocalAws:Mode";

    public static LocalAws AddLocalAws(this IDistributedApplicationBuilder builder)
    {
        var mode = builder.Configuration[ModeKey] ?? "auto";
        return mode switch
        {
            "embedded" => builder.AddEmbeddedEmulators(),
            "localstack" => builder.AddLocalStack(),
            "auto" => DockerEngineAnswers() ? builder.AddLocalStack() : builder.AddEmbeddedEmulators(),
            _ => throw new InvalidOperationException($"{ModeKey} must be auto, embedded or localstack, not '{mode}'."),
        };
    }

    /// <summary>Points a service's AWS SDK at the local endpoints and makes it wait for them.</summary>
    public static IResourceBuilder<T> WithLocalAws<T>(this IResourceBuilder<T> resource, LocalAws aws)
        where T : IResourceWithEnvironment, IResourceWithWaitSupport
    {
        resource
            .WithEnvironment("AWS_REGION", EmbeddedEmulators.Region)
            .WithEnvironment("PubSub__Region", EmbeddedEmulators.Region) // the one region ingestion stamps and the publisher publishes
            .WithEnvironment("AWS_ACCESS_KEY_ID", "test")
            .WithEnvironment("AWS_SECRET_ACCESS_KEY", "test")
            .WithEnvironment("AWS_EC2_METADATA_DISABLED", "true")
            .WithEnvironment("AWS_ENDPOINT_URL_DYNAMODB", aws.DynamoDb)
            .WithEnvironment("AWS_ENDPOINT_URL_DYNAMODB_STREAMS", aws.DynamoDb)
            .WithEnvironment("AWS_ENDPOINT_URL_SNS", aws.Messaging)
            .WithEnvironment("AWS_ENDPOINT_URL_SQS", aws.Messaging)
            .WithEnvironment("AWS_ENDPOINT_URL_S3", aws.Messaging);
        foreach (var dependency in aws.Resources)
        {
            resource.WaitFor(dependency);
        }

        return resource;
    }

    /// <summary>DynamoDB Local (port 8000) and fauxqs (SNS, SQS, S3 on port 4566) as local processes.</summary>
    private static LocalAws AddEmbeddedEmulators(this IDistributedApplicationBuilder builder)
    {
        var installation = EmulatorInstallation.Locate(builder.AppHostDirectory);

        var dynamoDb = builder.AddExecutable("dynamodb", installation.JavaExecutable, installation.DynamoDbLocalDirectory)
            .WithHttpEndpoint(port: 8000, name: "http");
        var dynamoDbEndpoint = dynamoDb.GetEndpoint("http");
        dynamoDb.WithArgs(context =>
        {
            foreach (var argument in EmulatorCommand.DynamoDbLocalArguments(installation))
            {
                context.Args.Add(argument);
            }

            context.Args.Add("-port");
            context.Args.Add(dynamoDbEndpoint.Property(EndpointProperty.TargetPort));
        });
        dynamoDb.WithProbe(builder, "dynamodb-ready", dynamoDbEndpoint, EmulatorProbes.DynamoDbReadyAsync);

        var fauxqs = builder.AddExecutable("fauxqs", installation.NodeExecutable, installation.RepositoryRoot,
                "--no-warnings", installation.FauxqsEntryPoint)
            .WithHttpEndpoint(port: 4566, name: "http", env: "FAUXQS_PORT");
        foreach (var (name, value) in EmulatorCommand.FauxqsEnvironment("", EmbeddedEmulators.Region).Where(e => e.Key != "FAUXQS_PORT"))
        {
            fauxqs.WithEnvironment(name, value);
        }

        var fauxqsEndpoint = fauxqs.GetEndpoint("http");
        fauxqs.WithProbe(builder, "fauxqs-ready", fauxqsEndpoint, EmulatorProbes.FauxqsReadyAsync);

        return new LocalAws(dynamoDbEndpoint, fauxqsEndpoint,
            [dynamoDb, fauxqs]);
    }

    /// <summary>LocalStack in a container: every service on one endpoint (port 4566).</summary>
    private static LocalAws AddLocalStack(this IDistributedApplicationBuilder builder)
    {
        var tag = builder.Configuration["LocalAws:LocalStackTag"] ?? "4.14.0";
        var localStack = builder.AddContainer("localstack", "localstack/localstack", tag)
            .WithHttpEndpoint(port: 4566, targetPort: 4566, name: "http")
            .WithEnvironment("SERVICES", "dynamodb,dynamodbstreams,sns,sqs,s3")
            .WithEnvironment("EAGER_SERVICE_LOADING", "1")
            .WithHttpHealthCheck("/_localstack/health", endpointName: "http");
        if (builder.Configuration["LOCALSTACK_AUTH_TOKEN"] is { Length: > 0 } token)
        {
            localStack.WithEnvironment("LOCALSTACK_AUTH_TOKEN", token);
        }

        var endpoint = localStack.GetEndpoint("http");
        return new LocalAws(endpoint, endpoint, [localStack]);
    }

    private static void WithProbe<T>(this IResourceBuilder<T> resource, IDistributedApplicationBuilder builder, string name,
        EndpointReference endpoint, Func<HttpClient, Uri, CancellationToken, Task<bool>> probe)
        where T : IResource
    {
        var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        builder.Services.AddHealthChecks().AddAsyncCheck(name, async cancellationToken =>
            endpoint.IsAllocated && await probe(http, new Uri(endpoint.Url), cancellationToken)
                ? HealthCheckResult.Healthy()
                : HealthCheckResult.Unhealthy($"{resource.Resource.Name} does not answer yet"));
        resource.WithHealthCheck(name);
    }

    /// <summary>True when <c>docker info</c> reaches an engine within two seconds.</summary>
    private static bool DockerEngineAnswers()
    {
        try
        {
            using var docker = Process.Start(new ProcessStartInfo("docker", "info --format {{.ServerVersion}}")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            });
            if (docker is null || !docker.WaitForExit(TimeSpan.FromSeconds(2)))
            {
                docker?.Kill();
                return false;
            }

            return docker.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false; // no docker command at all
        }
    }
}
