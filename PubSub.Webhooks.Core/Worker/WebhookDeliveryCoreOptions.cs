using Amazon.DynamoDBv2;
using PubSub.Composition;
using PubSub.Definition;
using PubSub.Webhooks.Delivery;

namespace PubSub.Webhooks.Worker;

/// <summary>What the webhook delivery core is built from; each adapter (the local worker, the Lambda function) fills
/// it from where its settings live. <see cref="FunctionCoreOptions.Sns"/> publishes the alerts,
/// <see cref="FunctionCoreOptions.Sqs"/> hides, deletes and dead-letters messages.</summary>
public sealed record WebhookDeliveryCoreOptions : FunctionCoreOptions
{
    /// <summary>The webhook subscriptions, the attempts and endpoints tables' names, the retention, the alerts topic.</summary>
    public required SystemDefinition Definition { get; init; }

    /// <summary>The attempts and endpoints tables.</summary>
    public required IAmazonDynamoDB DynamoDb { get; init; }

    /// <summary>The subscriptions' signing secrets (a local file, or SSM in AWS).</summary>
    public required IWebhookSecretSource Secrets { get; init; }

    /// <summary>Local runs only: <c>http://</c> and loopback receivers allowed. Never in AWS.</summary>
    public bool LocalMode { get; init; }

    /// <summary>The delays between attempts (tests shorten it).</summary>
    public RetrySchedule Schedule { get; init; } = RetrySchedule.Default;

    /// <summary>The circuit breaker's thresholds (tests shorten them).</summary>
    public CircuitBreakerOptions Circuit { get; init; } = CircuitBreakerOptions.Default;

    /// <summary>Resolves receivers' host names; null is the system's DNS (tests pass one that answers what they need).</summary>
    public IHostResolver? HostResolver { get; init; }
}
