using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using PubSub.Definition;
using PubSub.Functions;
using PubSub.IntegrationTests.Infrastructure;
using PubSub.IntegrationTests.Webhooks;
using PubSub.LambdaRuntime;
using PubSub.WebhookDelivery.Lambda;
using PubSub.Webhooks.Signing;
using PubSub.Webhooks.Worker;

namespace PubSub.IntegrationTests.Functions;

/// <summary>The webhook delivery function's Lambda adapter in process, on the emulators and a real receiver (the demo
/// receiver on Kestrel): an SQS event of real queue messages in, signed deliveries out, the partial batch response.</summary>
[Collection(AwsEmulatorsCollection.Name)]
public sealed class WebhookDeliveryFunctionTests(AwsEmulatorsFixture aws) : IDisposable
{
    private readonly string _secretsFile = Path.Combine(Directory.CreateTempSubdirectory("pubsub-webhook-secrets-").FullName, "webhook-secrets.json");

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_secretsFile)!, recursive: true);

    [Fact]
    public async Task Queued_events_are_delivered_signed_to_the_receiver_and_the_response_names_no_failure()
    {
        var id = "fn-" + Guid.NewGuid().ToString("N")[..8];
        var secret = WebhookSecret.Generate();
        await using var receiver = new WebhookDemoHost(new Dictionary<string, string> { ["Webhooks:Secrets:0"] = secret.Reveal() });
        using var client = receiver.CreateClient();
        var definition = aws.Definition with
        {
            Subscriptions = [.. aws.Definition.Subscriptions, new SubscriptionDefinition("orders", "webhook", new Uri(client.BaseAddress!, "/webhook").ToString(), Id: id)],
        };
        var queue = await WebhookTestQueues.EnsureAsync(aws, definition, id);
        var (first, second) = (Guid.NewGuid().ToString(), Guid.NewGuid().ToString());
        await WebhookTestQueues.SendEventAsync(aws.Sqs, queue.Url, first);
        await WebhookTestQueues.SendEventAsync(aws.Sqs, queue.Url, second);
        var secrets = new LocalWebhookSecretSource(_secretsFile);
        secrets.Add(id, secret);
        var function = WebhookDeliveryFunctionFactory.Create(new FunctionSettings { Definition = definition, Region = "us-east-1" }, secrets,
            NullLoggerFactory.Instance, TimeProvider.System, localMode: true);

        var response = JsonDocument.Parse(await function.HandleAsync(new LambdaInvocation(Guid.NewGuid().ToString(), DateTimeOffset.UtcNow.AddMinutes(1), null, null,
            await WebhookTestQueues.ReceiveAsSqsEventAsync(aws.Sqs, queue, first, second)), CancellationToken.None)).RootElement;

        Assert.Equal(0, response.GetProperty("batchItemFailures").GetArrayLength());
        var received = JsonDocument.Parse(await client.GetStringAsync("/received")).RootElement.GetProperty("received").EnumerateArray().ToList();
        Assert.Equal(["verified", "verified"], received.Select(r => r.GetProperty("result").GetString()));
        Assert.Equal(2, received.Select(r => r.GetProperty("id").GetString()).Distinct().Count());
    }
}
