using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using PubSub.Events;
using PubSub.Webhooks.Signing;

namespace PubSub.Webhooks.Worker;

/// <summary>The marker that starts a new series of attempts for an event whose attempts ended without a delivery (the
/// schedule exhausted, a 410, a disabled endpoint): the message attribute <see cref="MessageAttributes.WebhookSeries"/>, set
/// only by an operator's redelivery. Its value is <c>{after}.{mac}</c>: the number of the last recorded attempt, and an
/// HMAC-SHA256 (unpadded base64url) over the subscription, the publisher, the event id and that number, keyed with one
/// of the subscription's signing secrets. A publisher never holds a secret (nor can it set an SNS attribute: the
/// stream publisher sets a fixed set), and a mark names one event after one attempt, so it restarts one series once:
/// the new series' first attempt is no longer <c>after</c>.</summary>
public static class WebhookSeries
{
    /// <summary>The mark for <paramref name="eventId"/> of <paramref name="publisher"/> at
    /// <paramref name="subscriptionId"/>, after attempt <paramref name="after"/> (0: none recorded). Signs with the last
    /// of <paramref name="keys"/>' secrets: during a rotation window that is the previous one, which a worker still
    /// holding the secrets it read before the rotation (SSM's cache) verifies too.</summary>
    public static string Mark(WebhookSigningKeys keys, string subscriptionId, string publisher, string eventId, int after)
    {
        if (keys.Secrets.Count == 0)
        {
            throw new ArgumentException("A series mark needs a symmetric secret.", nameof(keys));
        }

        var number = after.ToString(CultureInfo.InvariantCulture);
        return number + "." + Mac(keys.Secrets[^1], subscriptionId, publisher, eventId, number);
    }

    /// <summary>The attempt number a valid mark names, or null when <paramref name="value"/> is not a mark of this event
    /// at this subscription signed with one of <paramref name="keys"/>' secrets.</summary>
    public static int? Verify(string? value, WebhookSigningKeys keys, string subscriptionId, string publisher, string eventId)
    {
        var text = value is { Length: <= 100 } ? value : "";
        var dot = text.IndexOf('.', StringComparison.Ordinal);
        if (dot < 1 || !int.TryParse(text.AsSpan(0, dot), NumberStyles.None, CultureInfo.InvariantCulture, out var after))
        {
            return null;
        }

        var number = after.ToString(CultureInfo.InvariantCulture);
        var given = Encoding.ASCII.GetBytes(text[(dot + 1)..]);
        return keys.Secrets.Any(secret => CryptographicOperations.FixedTimeEquals(
            Encoding.ASCII.GetBytes(Mac(secret, subscriptionId, publisher, eventId, number)), given))
            ? after
            : null;
    }

    private static string Mac(WebhookSecret secret, string subscriptionId, string publisher, string eventId, string after)
    {
        // Zero bytes separate the parts: only the event id may hold one, and the number after it cannot, so the input
        // reads back one way. The label keeps the MAC from ever equalling a webhook signature made with the same secret.
        var input = Encoding.UTF8.GetBytes($"pubsub-webhook-series\0{subscriptionId}\0{publisher}\0{eventId}\0{after}");
        return Convert.ToBase64String(HMACSHA256.HashData(secret.Key, input)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
    }
}
