using System.Text;
using PubSub.Json;
using PubSub.Events;

namespace PubSub.StreamPublisher.Core;

/// <summary>What SNS can never take, checked before the call: a refused message would otherwise fail its
/// whole batch, and with it the events beside it.</summary>
public static class SnsMessageCheck
{
    /// <summary>SNS's limit for one message, attributes included.</summary>
    public const int MaxMessageBytes = 256 * 1024;

    /// <summary>Null when SNS can take the message, else why not (an error code of our own, and a message with no payload).</summary>
    public static (string Code, string Message)? Problem(PendingMessage message)
    {
        var size = Encoding.UTF8.GetByteCount(message.Body) + MessageAttributes.SizeOf(message.Envelope);
        if (size > MaxMessageBytes)
        {
            return ("MessageTooLarge", $"The message is {size} bytes with its attributes; SNS takes {MaxMessageBytes}.");
        }

        if (!IsXmlText(message.Body))
        {
            return ("InvalidCharacters", "The message body holds characters SNS refuses.");
        }

        foreach (var (name, value) in MessageAttributes.For(message.Envelope))
        {
            if (string.IsNullOrEmpty(value.StringValue) || !IsXmlText(value.StringValue))
            {
                return ("InvalidAttribute", $"The message attribute '{name}' is empty or holds characters SNS refuses.");
            }
        }

        return null;
    }

    /// <summary>Error codes with which SNS refuses a message itself, for good.</summary>
    public static bool IsMessageRejection(string? errorCode) =>
        errorCode is "InvalidParameter" or "InvalidParameterValue" or "ValidationError";

    /// <summary>XML 1.0 characters only: the characters SNS and SQS accept.</summary>
    public static bool IsXmlText(string text) => JsonText.Check(text, attribute: false) == TextFault.None;
}
