using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json.Nodes;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.SimpleNotificationService.Model;
using Amazon.SQS.Model;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using PubSub.Definition;
using PubSub.IntegrationTests.Infrastructure;
using PubSub.Webhooks.Delivery;
using PubSub.Webhooks.Worker;

namespace PubSub.IntegrationTests.Webhooks;

/// <summary>Everything a webhook delivery test needs, made for that test alone on the shared emulators: a definition of
/// its own name (so every derived name is new), the attempts and endpoints tables (DynamoDB Local), the alerts topic with
/// a queue subscribed to it, each subscription's queue and DLQ (fauxqs), a secrets file, the core and a
/// <see cref="WebhookQueueReader"/> per subscription running until the harness is disposed.</summary>
internal sealed class WebhookDeliveryHarness : IAsyncDisposable
{
    private readonly AwsEmulatorsFixture _aws;
    private readonly CancellationTokenSource _stop = new();
    private readonly ServiceProvider _services = new ServiceCollection().AddMetrics().BuildServiceProvider();
    private readonly List<Task> _readers = [];
    private readonly string _directory;
    private WebhookBatchDeliverer? _deliverer;

    private WebhookDeliveryHarness(AwsEmulatorsFixture aws, SystemDefinition definition, string alertsQueueUrl, string directory,
        string? secretsFile = null)
    {
        _aws = aws;
        Definition = definition;
        AlertsQueueUrl = alertsQueueUrl;
        _directory = directory;
        Secrets = new LocalWebhookSecretSource(secretsFile ?? Path.Combine(directory, "webhook-secrets.json"));
        Attempts = new DynamoDbAttemptLog(aws.DynamoDb, WebhookNames.AttemptsTable(definition), TimeSpan.FromDays(1));
        Endpoints = new DynamoDbCircuitStateStore(aws.DynamoDb, WebhookNames.EndpointsTable(definition));
    }

    public SystemDefinition Definition { get; private set; }

    public string AlertsQueueUrl { get; }

    public LocalWebhookSecretSource Secrets { get; }

    public DynamoDbAttemptLog Attempts { get; }

    public DynamoDbCircuitStateStore Endpoints { get; }

    public static async Task<WebhookDeliveryHarness> CreateAsync(AwsEmulatorsFixture aws)
    {
        var name = "wh" + Guid.NewGuid().ToString("N")[..10];
        var definition = aws.Definition with
        {
            Name = name,
            Events = aws.Definition.Events with { Table = name + "-events" },
            AlertsTopic = name + "-alerts",
            Subscriptions = [],
        };
        await CreateTableAsync(aws.DynamoDb, WebhookNames.AttemptsTable(definition), DynamoDbAttemptLog.PartitionKey, DynamoDbAttemptLog.SortKey);
        await CreateTableAsync(aws.DynamoDb, WebhookNames.EndpointsTable(definition), DynamoDbCircuitStateStore.Key, null);
        var topicArn = (await aws.Sns.CreateTopicAsync(new CreateTopicRequest { Name = definition.AlertsTopic })).TopicArn;
        var alertsQueue = (await aws.Sqs.CreateQueueAsync(name + "-alerts-inbox")).QueueUrl;
        var alertsQueueArn = (await aws.Sqs.GetQueueAttributesAsync(alertsQueue, ["QueueArn"])).QueueARN;
        await aws.Sns.SubscribeAsync(new SubscribeRequest
        {
            TopicArn = topicArn,
            Protocol = "sqs",
            Endpoint = alertsQueueArn,
            Attributes = new() { ["RawMessageDelivery"] = "true" },
        });
        var directory = Directory.CreateTempSubdirectory("webhook-harness-").FullName;
        return new WebhookDeliveryHarness(aws, definition, alertsQueue, directory);
    }

    /// <summary>A harness over a definition provisioned already (<c>pubsub webhooks add</c>: its tables and queues) and the
    /// secrets file the CLI writes; no alerts inbox (<see cref="AlertsQueueUrl"/> is empty).</summary>
    public static WebhookDeliveryHarness Over(AwsEmulatorsFixture aws, SystemDefinition definition, string secretsFile) =>
        new(aws, definition, "", Directory.CreateTempSubdirectory("webhook-harness-").FullName, secretsFile);

    /// <summary>A webhook subscription with its queue and DLQ; the core sees it from the next <see cref="Start"/>.</summary>
    public async Task<(SubscriptionDefinition Subscription, string QueueUrl, string DeadLetterQueueUrl)> AddSubscriptionAsync(
        string id, Uri url, int? timeoutSeconds = null, double? rateLimit = null, string? ordering = null, bool createQueues = true)
    {
        var subscription = new SubscriptionDefinition("orders", SubscriptionDefinition.WebhookProtocol, url.ToString(), Id: id,
            TimeoutSeconds: timeoutSeconds, RateLimit: rateLimit, Ordering: ordering);
        Definition = Definition with { Subscriptions = [.. Definition.Subscriptions, subscription] };
        if (!createQueues)
        {
            return (subscription, "", "");
        }

        var queueUrl = (await _aws.Sqs.CreateQueueAsync(WebhookNames.Queue(Definition, id))).QueueUrl;
        var deadLetterQueueUrl = (await _aws.Sqs.CreateQueueAsync(WebhookNames.DeadLetterQueue(Definition, id))).QueueUrl;
        return (subscription, queueUrl, deadLetterQueueUrl);
    }

    /// <summary>Builds the core (once) and starts a queue reader per subscription given.</summary>
    public WebhookBatchDeliverer Start(IEnumerable<SubscriptionDefinition> subscriptions, RetrySchedule? schedule = null,
        CircuitBreakerOptions? circuit = null, bool localMode = true, IHostResolver? resolver = null)
    {
        _deliverer ??= WebhookDeliveryCore.Create(new WebhookDeliveryCoreOptions
        {
            Region = "us-east-1",
            Definition = Definition,
            DynamoDb = _aws.DynamoDb,
            Secrets = Secrets,
            LocalMode = localMode,
            Schedule = schedule ?? RetrySchedule.Default,
            Circuit = circuit ?? CircuitBreakerOptions.Default,
            HostResolver = resolver,
            Sns = _aws.Sns,
            Sqs = _aws.Sqs,
            Meters = _services.GetRequiredService<IMeterFactory>(),
            Loggers = NullLoggerFactory.Instance,
        });
        foreach (var subscription in subscriptions)
        {
            var reader = new WebhookQueueReader(_deliverer, _aws.Sqs, Definition, NullLogger<WebhookQueueReader>.Instance) { WaitTimeSeconds = 1 };
            _readers.Add(Task.Run(() => reader.RunAsync(subscription, _stop.Token)));
        }

        return _deliverer;
    }

    /// <summary>Queues a CloudEvent as the stream publisher's raw SNS delivery leaves it: the body, and the
    /// <c>publisher</c> attribute.</summary>
    public async Task<string> SendAsync(string queueUrl, string eventId, string publisher = "demo", string? body = null)
    {
        body ??= new JsonObject
        {
            ["specversion"] = "1.0",
            ["id"] = eventId,
            ["source"] = "test",
            ["type"] = "order.created",
            ["publisher"] = publisher,
            ["data"] = new JsonObject { ["orderId"] = eventId },
        }.ToJsonString();
        await _aws.Sqs.SendMessageAsync(new SendMessageRequest
        {
            QueueUrl = queueUrl,
            MessageBody = body,
            MessageAttributes = new() { ["publisher"] = new() { DataType = "String", StringValue = publisher } },
        });
        return body;
    }

    /// <summary>Polls until <paramref name="condition"/> holds or <paramref name="timeout"/> passes.</summary>
    public static async Task<bool> EventuallyAsync(Func<Task<bool>> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (await condition())
            {
                return true;
            }

            await Task.Delay(100);
        }

        return await condition();
    }

    public static bool Eventually(Func<bool> condition, TimeSpan timeout) =>
        EventuallyAsync(() => Task.FromResult(condition()), timeout).GetAwaiter().GetResult();

    public async Task<string> CreateQueueAsync(string name) => (await _aws.Sqs.CreateQueueAsync(name)).QueueUrl;

    public async Task<List<Message>> ReceiveAsync(string queueUrl, int count, TimeSpan timeout) =>
        await QueueReader.ReceiveAsync(_aws.Sqs, queueUrl, count, timeout);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        await Task.WhenAll(_readers);
        _deliverer?.Dispose();
        _stop.Dispose();
        await _services.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private static async Task CreateTableAsync(IAmazonDynamoDB dynamoDb, string table, string partitionKey, string? sortKey)
    {
        var request = new CreateTableRequest
        {
            TableName = table,
            BillingMode = BillingMode.PAY_PER_REQUEST,
            KeySchema = [new KeySchemaElement(partitionKey, KeyType.HASH)],
            AttributeDefinitions = [new AttributeDefinition(partitionKey, ScalarAttributeType.S)],
        };
        if (sortKey is not null)
        {
            request.KeySchema.Add(new KeySchemaElement(sortKey, KeyType.RANGE));
            request.AttributeDefinitions.Add(new AttributeDefinition(sortKey, ScalarAttributeType.S));
        }

        await dynamoDb.CreateTableAsync(request);
    }
}

/// <summary>Resolves the names a test gives to the addresses it gives (everything else as the system does).</summary>
internal sealed class FixedHostResolver(Dictionary<string, IPAddress[]> answers) : IHostResolver
{
    public Task<IPAddress[]> ResolveAsync(string host, CancellationToken cancellationToken) =>
        answers.TryGetValue(host, out var addresses) ? Task.FromResult(addresses) : DnsHostResolver.Instance.ResolveAsync(host, cancellationToken);
}
