using PubSub.AppHost;

var builder = DistributedApplication.CreateBuilder(args);

// One system definition drives everything: topics, routes, publishers, subscriptions.
var definition = builder.LoadSystemDefinition();

// DynamoDB (+ Streams), SNS, SQS and S3: LocalStack where a Docker engine runs, else the
// docker-free emulators (DynamoDB Local and fauxqs) as local processes.
var aws = builder.AddLocalAws();

// Creates the table, queues, topics, bucket and subscriptions, then exits; the functions wait for it.
var provisioner = builder.AddProject<Projects.PubSub_Provisioner>("provisioner")
    .WithLocalAws(aws)
    .WithSystemDefinition(definition);

builder.AddProject<Projects.PubSub_Ingestion>("ingestion")
    .WithLocalAws(aws)
    .WithSystemDefinition(definition)
    .WithPublisherApiKeys(definition)
    .WithHttpHealthCheck("/health")
    .WaitForCompletion(provisioner);

builder.AddProject<Projects.PubSub_StreamPublisher>("stream-publisher")
    .WithLocalAws(aws)
    .WithSystemDefinition(definition)
    .WithHttpHealthCheck("/health")
    .WaitForCompletion(provisioner);

// Webhook delivery: the worker reads each webhook subscription's queue and delivers, signed, over the same core
// as the Lambda function; webhook-demo receives the demo subscription's deliveries and verifies every signature.
var webhookSecrets = definition.EnsureWebhookSecrets();
builder.AddProject<Projects.PubSub_WebhookDelivery>("webhook-delivery")
    .WithLocalAws(aws)
    .WithSystemDefinition(definition)
    .WithWebhookSecrets(webhookSecrets)
    .WithHttpHealthCheck("/health")
    .WaitForCompletion(provisioner);

builder.AddWebhookDemo(definition, webhookSecrets);

// Each dead-letter queue, unhealthy while it holds messages, with Replay and Purge commands.
builder.AddDeadLetterQueues(definition.Definition, aws);

builder.Build().Run();
