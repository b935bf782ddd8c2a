using System.Text;
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

    /// <summary>XML 1.0 characters only (tab, line feed, carriage return, U+0020-U+D7FF, U+E000-U+FFFD,
    /// paired surrogates): the characters SNS and SQS accept.</summary>
    public static bool IsXmlText(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (c is '\t' or '\n' or '\r' || c is >= '\u0020' and <= '\uD7FF' || c is >= '\uE000' and <= '\uFFFD')
            {
                continue;
            }

            if (char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]))
            {
                i++;
                continue;
            }

            return false;
        }

        return true;
    }
}
