using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.SimpleSystemsManagement;
using Amazon.SQS;
using Microsoft.Extensions.Logging.Abstractions;
using PubSub.Definition;
using PubSub.Operations;
using PubSub.Webhooks.Delivery;
using PubSub.Webhooks.Signing;
using PubSub.Webhooks.Worker;

namespace PubSub.Cli.Commands;

/// <summary>What a <c>pubsub webhooks</c> command works with: the definition, the delivery core's stores (attempts,
/// endpoints) and the secrets, locally the worker's file (<c>Webhooks__SecretsFile</c>, as the worker reads it, or
/// <see cref="LocalWebhookSecretSource.DefaultPath"/>), in AWS the SSM parameter.</summary>
internal sealed class WebhookContext : IDisposable
{
    /// <summary>The worker's setting for the local secrets file (<c>Webhooks:SecretsFile</c>), as an environment variable.</summary>
    public const string SecretsFileVariable = "Webhooks__SecretsFile";

    private readonly Lazy<AmazonSimpleSystemsManagementClient> _ssm = new(() => new AmazonSimpleSystemsManagementClient());

    public WebhookContext(FileInfo? definition, bool local)
        : this(LoadAndConfigure(definition, local), local)
    {
    }

    /// <summary>For a definition loaded (and the endpoints configured) already.</summary>
    public WebhookContext(SystemDefinition system, bool local)
    {
        System = system;
        Local = local;
        Attempts = new DynamoDbAttemptLog(DynamoDb, WebhookNames.AttemptsTable(System), TimeSpan.FromDays(System.Events.RetentionDays));
        Circuits = new EndpointCircuits(new DynamoDbCircuitStateStore(DynamoDb, WebhookNames.EndpointsTable(System)), CircuitBreakerOptions.Default,
            TimeProvider.System, NullLogger<EndpointCircuits>.Instance);
    }

    public SystemDefinition System { get; }

    public bool Local { get; }

    public AmazonDynamoDBClient DynamoDb { get; } = new();

    public AmazonSQSClient Sqs { get; } = new();

    public DynamoDbAttemptLog Attempts { get; }

    public EndpointCircuits Circuits { get; }

    public LocalWebhookSecretSource LocalSecrets => new(
        Environment.GetEnvironmentVariable(SecretsFileVariable) is { Length: > 0 } file ? file : LocalWebhookSecretSource.DefaultPath(System));

    public IEnumerable<SubscriptionDefinition> Webhooks => System.Subscriptions.Where(s => s is { IsWebhook: true, Id: not null });

    /// <summary>The webhook subscription <paramref name="id"/>, or a usage error naming those there are.</summary>
    public SubscriptionDefinition Subscription(string id) =>
        Webhooks.FirstOrDefault(s => s.Id == id)
        ?? throw new CliException($"'{id}' is not a webhook subscription of {System.Name}"
                                  + (Webhooks.Any() ? $": {string.Join(", ", Webhooks.Select(s => s.Id))}." : " (it has none; pubsub webhooks add)."),
            ExitCodes.Usage);

    /// <summary>The subscription's circuit; a new one's when the endpoints table is not there yet (a stack not deployed).</summary>
    public async Task<CircuitState> StateAsync(string id, CancellationToken ct)
    {
        try
        {
            return await Circuits.GetAsync(id, ct);
        }
        catch (ResourceNotFoundException)
        {
            return CircuitState.Initial;
        }
    }

    /// <summary>Stores the subscription's first secret (given or generated) where its worker reads it.</summary>
    public async Task<WebhookSecret> AddSecretAsync(string id, WebhookSecret? secret, CancellationToken ct) =>
        Local ? LocalSecrets.Add(id, secret) : await Ssm.AddAsync(id, secret, ct);

    /// <summary>A new secret; the previous one signs too for the rotation window.</summary>
    public async Task<WebhookSecret> RotateSecretAsync(string id, CancellationToken ct) =>
        Local ? LocalSecrets.Rotate(id) : await Ssm.RotateAsync(id, null, ct);

    /// <summary>The secrets the worker signs with: the local file, or the SSM parameters.</summary>
    public IWebhookSecretSource Secrets => Local ? LocalSecrets : Ssm;

    /// <summary>Redelivery to a subscription's queue, each event marked to start a new series after its last recorded
    /// attempt (signed with the subscription's secret: <see cref="WebhookSeries"/>).</summary>
    public WebhookRedelivery Redelivery => new(Sqs, MarkAsync, TimeProvider.System);

    private async ValueTask<string> MarkAsync(string id, string publisher, string eventId, CancellationToken ct)
    {
        WebhookSigningKeys keys;
        try
        {
            keys = await Secrets.GetAsync(id, ct);
        }
        catch (WebhookSecretMissingException e)
        {
            throw new WebhookSecretUnavailableException($"Webhook subscription {id} has no secret ({e.Message}); nothing was redelivered", e);
        }

        AttemptRecord? latest;
        try
        {
            latest = await Attempts.LatestAsync(publisher, eventId, id, ct);
        }
        catch (ResourceNotFoundException)
        {
            latest = null; // no attempts table yet: no attempt either
        }

        return WebhookSeries.Mark(keys, id, publisher, eventId, latest?.Attempt.AttemptNumber ?? 0);
    }

    /// <summary>Where the secrets are, for messages (never the secrets).</summary>
    public string SecretsLocation(string id) => Local ? LocalSecrets.Path : $"SSM parameter {WebhookNames.SecretParameter(System, id)}";

    public async Task<string> QueueUrlAsync(string name, CancellationToken ct)
    {
        try
        {
            return (await Sqs.GetQueueUrlAsync(name, ct)).QueueUrl;
        }
        catch (Amazon.SQS.Model.QueueDoesNotExistException)
        {
            throw new CliException($"Queue {name} does not exist: provision the definition (pubsub provision --local) or deploy the stack.");
        }
    }

    private SsmWebhookSecretSource Ssm => new(_ssm.Value, System);

    private static SystemDefinition LoadAndConfigure(FileInfo? definition, bool local)
    {
        var system = CommonOptions.LoadDefinition(definition);
        CommonOptions.UseLocalStack(local);
        return system;
    }

    public void Dispose()
    {
        DynamoDb.Dispose();
        Sqs.Dispose();
        if (_ssm.IsValueCreated)
        {
            _ssm.Value.Dispose();
        }
    }
}
