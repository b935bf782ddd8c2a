using PubSub.DeadLetters;
using PubSub.Events;
using PubSub.Json;

namespace PubSub.IntegrationTests.Infrastructure;

/// <summary>Events and dead letters in the system's real formats, for tests that need them without a request.</summary>
internal static class TestEvents
{
    public static string Definition => Path.Combine(AppContext.BaseDirectory, "pubsub.json");

    public static EventEnvelope Envelope(string id, string type = "order.created", string data = """{"orderId":1}""", string publisher = "demo") => new()
    {
        Id = id,
        Source = "it",
        Type = type,
        Data = JsonPayload.FromString(data),
        Publisher = publisher,
        ReceivedAt = DateTimeOffset.UtcNow,
        OriginRegion = "us-east-1",
        Fingerprint = "fp-" + data.Length,
    };

    /// <summary>A publish dead letter as the stream publisher writes it after SNS refused the event.</summary>
    public static string PublishLetter(EventEnvelope envelope, string topic = "orders") =>
        DeadLetterMessage.ForPublish(envelope, DeadLetterReason.PublishFailed, topic, null, "InternalError", "SNS was down", 3, DateTimeOffset.UtcNow);
}
