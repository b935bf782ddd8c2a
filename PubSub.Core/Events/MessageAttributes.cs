using System.Text;
using Amazon.SimpleNotificationService.Model;

namespace PubSub.Events;

/// <summary>The SNS message attributes every message carries, so that subscribers can filter on
/// them with attribute-scoped filter policies.</summary>
public static class MessageAttributes
{
    /// <summary>The attribute a replayed message carries (<c>replayed=true</c>), so subscribers can tell.</summary>
    public const string Replayed = "replayed";

    /// <summary>The attribute an operator's redelivery of a webhook event carries (<c>pubsub webhooks resend|recover</c>,
    /// <c>pubsub dlq replay</c>) to start a new series of attempts after one that ended. <see cref="For"/> never sets it
    /// (publishers cannot reach it through the stream publisher), and its value is signed with the subscription's
    /// secret, so whoever else can publish to a topic cannot forge it either (docs/webhooks-delivery.md).</summary>
    public const string WebhookSeries = "pubsub-webhook-series";

    public static Dictionary<string, MessageAttributeValue> For(EventEnvelope e, bool replayed = false)
    {
        var attributes = new Dictionary<string, MessageAttributeValue>(7, StringComparer.Ordinal)
        {
            ["id"] = Text(e.Id),
            ["type"] = Text(e.Type),
            ["source"] = Text(e.Source),
            ["publisher"] = Text(e.Publisher),
        };
        if (!string.IsNullOrEmpty(e.Subject))
        {
            attributes["subject"] = Text(e.Subject);
        }

        if (e.Sensitive is { Action: Sensitivity.Flagged })
        {
            attributes["sensitive"] = Text("true");
        }

        if (replayed)
        {
            attributes[Replayed] = Text("true");
        }

        if (!string.IsNullOrEmpty(e.TraceParent))
        {
            attributes["traceparent"] = Text(e.TraceParent);
        }

        return attributes;
    }

    /// <summary>A <c>String</c> attribute.</summary>
    public static MessageAttributeValue Text(string value) => new() { DataType = "String", StringValue = value };

    /// <summary>How much the attributes add to a message's size, as SNS counts it (names, types, values).</summary>
    public static int SizeOf(EventEnvelope e, bool replayed = false)
    {
        var size = 0;
        foreach (var (name, value) in For(e, replayed))
        {
            size += Encoding.UTF8.GetByteCount(name) + value.DataType.Length + Encoding.UTF8.GetByteCount(value.StringValue ?? "");
        }

        return size;
    }
}
