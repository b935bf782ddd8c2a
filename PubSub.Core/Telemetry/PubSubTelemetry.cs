using System.Diagnostics;

namespace PubSub.Telemetry;

/// <summary>The names of this system's trace sources and meters; hosts subscribe to <c>PubSub.*</c>.</summary>
public static class PubSubTelemetry
{
    public const string Prefix = "PubSub.";
    public const string IngestionName = "PubSub.Ingestion";
    public const string StreamPublisherName = "PubSub.StreamPublisher";
    public const string WebhookDeliveryName = "PubSub.WebhookDelivery";

    public static readonly ActivitySource Ingestion = new(IngestionName);
    public static readonly ActivitySource StreamPublisher = new(StreamPublisherName);
}
