using System.Text.Json.Serialization;

namespace PubSub.Webhooks.Worker;

/// <summary>What operators hear on the alerts topic about a webhook subscription: which one, its endpoint, what happened
/// and why; for a dead letter the event's publisher and id. Never a secret, a header or the payload.</summary>
/// <param name="Kind"><see cref="EndpointDisabled"/>, <see cref="CircuitOpened"/> or <see cref="DeadLettered"/>.</param>
public sealed record WebhookAlert(
    string Kind,
    string Subscription,
    string Url,
    string Topic,
    string Reason,
    DateTimeOffset At,
    string? Publisher = null,
    string? EventId = null,
    int? ConsecutiveFailures = null)
{
    /// <summary>410 Gone, or five days of failures: nothing more is attempted until an operator enables it.</summary>
    public const string EndpointDisabled = "webhook-endpoint-disabled";

    /// <summary>The circuit opened after consecutive failures (deliveries wait; probes follow).</summary>
    public const string CircuitOpened = "webhook-circuit-opened";

    /// <summary>An event went to the subscription's dead-letter queue.</summary>
    public const string DeadLettered = "webhook-dead-lettered";
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(WebhookAlert))]
internal sealed partial class WebhookAlertJsonContext : JsonSerializerContext;
