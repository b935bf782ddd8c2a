using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace PubSub.Webhooks.Worker;

/// <summary>A queued message read as what the stream publisher published: a CloudEvent (raw delivery), sent on as it
/// is. The publisher is the message's <c>publisher</c> attribute (the CloudEvent's own <c>publisher</c> extension when
/// the attribute is missing).</summary>
/// <param name="WebhookId">The <c>webhook-id</c>: see <see cref="WebhookIdOf"/>.</param>
/// <param name="PartitionKey">The CloudEvents <c>partitionkey</c> extension, if any (a number or boolean as its JSON text,
/// as the FIFO topics read it).</param>
/// <param name="Body">The POST body: the message's body as published, byte for byte (UTF-8).</param>
/// <param name="Time">The CloudEvent's <c>time</c>, if any and readable: the order key of <c>ordering: partitionkey</c>.</param>
internal sealed record WebhookMessage(string Publisher, string EventId, string WebhookId, string? PartitionKey, byte[] Body,
    DateTimeOffset? Time = null)
{
    /// <summary>The longest event id or publisher taken (the events table's key allows no more).</summary>
    private const int MaxIdLength = 1024;

    /// <summary>The message as an event to deliver, or null with the reason it can never be delivered.</summary>
    public static WebhookMessage? TryRead(QueuedDelivery delivery, out string? problem)
    {
        JsonElement root;
        try
        {
            using var document = JsonDocument.Parse(delivery.Body);
            root = document.RootElement.Clone();
        }
        catch (JsonException e)
        {
            problem = $"The message body is not JSON ({e.Message})";
            return null;
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            problem = "The message body is not a JSON object (a CloudEvent)";
            return null;
        }

        string? id, publisher, specVersion, partitionKey;
        DateTimeOffset? time;
        try
        {
            id = String(root, "id");
            publisher = delivery.MessageAttributes.GetValueOrDefault("publisher") is { Length: > 0 } attribute ? attribute : String(root, "publisher");
            specVersion = String(root, "specversion");
            partitionKey = root.TryGetProperty("partitionkey", out var key) && key.ValueKind is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False
                ? key.GetRawText()
                : String(root, "partitionkey");
            time = DateTimeOffset.TryParse(String(root, "time"), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed) ? parsed : null;
        }
        catch (InvalidOperationException)
        {
            // JSON may escape half a surrogate pair ("\ud800"), which no .NET string holds: GetString throws.
            problem = "The CloudEvent's id, publisher, specversion, partitionkey or time is not valid Unicode (an unpaired surrogate escape)";
            return null;
        }

        problem = (id, publisher, specVersion) switch
        {
            (_, _, null) => "The message is not a CloudEvent (no specversion)",
            (null or "", _, _) => "The CloudEvent has no id",
            (_, null or "", _) => "The message has no publisher (neither the attribute nor the CloudEvent's extension)",
            ({ Length: > MaxIdLength }, _, _) or (_, { Length: > MaxIdLength }, _) => $"The CloudEvent's id or publisher is longer than {MaxIdLength} characters",
            _ => null,
        };
        if (problem is not null)
        {
            return null;
        }

        return new WebhookMessage(publisher!, id!, WebhookIdOf(publisher!, id!), partitionKey is { Length: > 0 } ? partitionKey : null,
            Encoding.UTF8.GetBytes(delivery.Body), time);
    }

    /// <summary>The <c>webhook-id</c> of an event: <c>msg_</c> and the unpadded base64url of SHA-256 over the publisher,
    /// a zero byte and the event id (UTF-8). The same on every retry and every replay; distinct for two publishers that
    /// reuse an id (ids are unique per publisher only); and always a header value the signer takes (no dot, printable
    /// ASCII, 47 characters), whatever characters the publisher put in its id.</summary>
    public static string WebhookIdOf(string publisher, string eventId)
    {
        var input = Encoding.UTF8.GetBytes(publisher + "\0" + eventId);
        return "msg_" + Convert.ToBase64String(SHA256.HashData(input)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }

    private static string? String(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
