using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace PubSub.Events;

/// <summary>Ordering and deduplication for FIFO topics, for the stream publisher and every replay alike.
/// Both keys are lowercase hex SHA-256 digests (64 characters: always valid for SNS, whatever the publisher
/// sent) scoped by publisher, so that one publisher can neither suppress another's events nor share its groups.
/// <list type="bullet">
/// <item>MessageDeduplicationId = SHA-256(publisher + "\n" + id).</item>
/// <item>MessageGroupId = SHA-256(publisher + "\n" + key), the key being the CloudEvents partitioning extension
/// <c>partitionkey</c>, else the subject, else the publisher.</item>
/// </list></summary>
public static class FifoKeys
{
    public const string PartitionKeyExtension = "partitionkey";

    public static string GroupOf(EventEnvelope e)
    {
        string? partitionKey = null;
        if (e.Extensions is not null && e.Extensions.TryGetValue(PartitionKeyExtension, out var json))
        {
            using var document = JsonDocument.Parse(json);
            partitionKey = KeyText(document.RootElement);
        }

        return Group(e.Publisher, partitionKey, e.Subject);
    }

    /// <summary>The group of an event whose <c>partitionkey</c> (as text) is <paramref name="partitionKey"/>: the webhook
    /// worker keys its ordered deliveries by the same digest.</summary>
    public static string GroupOf(string publisher, string partitionKey) => Hash(publisher, partitionKey);

    public static string DeduplicationIdOf(EventEnvelope e) => DeduplicationIdOf(e.Publisher, e.Id);

    /// <summary>Events are unique per (publisher, id): so is their deduplication id.</summary>
    public static string DeduplicationIdOf(string publisher, string eventId) => Hash(publisher, eventId);

    private static string Group(string publisher, string? partitionKey, string? subject) =>
        Hash(publisher, !string.IsNullOrEmpty(partitionKey) ? partitionKey : !string.IsNullOrEmpty(subject) ? subject : publisher);

    private static string Hash(string publisher, string value)
    {
        // Lone surrogates (which no valid event holds) become U+FFFD rather than an exception.
        var bytes = Encoding.UTF8.GetBytes(publisher + "\n" + value);
        return Convert.ToHexStringLower(SHA256.HashData(bytes));
    }

    private static string? KeyText(JsonElement value) =>
        value.ValueKind == JsonValueKind.String ? Text(value) : value.GetRawText();

    /// <summary>A string's value; its JSON text when the value cannot be decoded (an escaped lone surrogate).</summary>
    private static string Text(JsonElement value)
    {
        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            return value.GetRawText();
        }
    }
}
