using System.Collections.Frozen;
using System.Diagnostics.CodeAnalysis;
using PubSub.Definition;

namespace PubSub.WebhookDelivery.Lambda;

/// <summary>Which webhook subscription a queue's ARN (an SQS record's <c>eventSourceARN</c>) belongs to, by the
/// queue name <see cref="WebhookNames.Queue"/> gives it, and that queue's URL, built from the ARN (as SQS builds it:
/// no <c>GetQueueUrl</c> call, no permission for it). The subscription it gives has its rate already shared among the
/// event source mapping's processes (<see cref="WebhookQueues.PerProcessRateLimit"/>): the core's rate limiter counts
/// one process's deliveries only.</summary>
public sealed class WebhookQueueDirectory
{
    private readonly FrozenDictionary<string, SubscriptionDefinition> _byQueueName;

    public WebhookQueueDirectory(SystemDefinition definition) =>
        _byQueueName = definition.Subscriptions.Where(s => s is { IsWebhook: true, Id: not null })
            .ToFrozenDictionary(s => WebhookNames.Queue(definition, s.Id!), s => s with { RateLimit = WebhookQueues.PerProcessRateLimit(s) },
                StringComparer.Ordinal);

    public bool TryFind(string? queueArn, [NotNullWhen(true)] out SubscriptionDefinition? subscription, [NotNullWhen(true)] out string? queueUrl)
    {
        (subscription, queueUrl) = (null, null);
        if (QueueArn.TryParse(queueArn, out var arn) && _byQueueName.TryGetValue(arn.Name, out subscription))
        {
            queueUrl = arn.Url;
            return true;
        }

        subscription = null;
        return false;
    }
}
