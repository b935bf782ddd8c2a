using System.Text.Json;

namespace PubSub.IntegrationTests.Faults;

/// <summary>A JSON string's text for matching ids across what the service answered and what subscribers
/// and dead-letter queues received: one that does not decode (an escaped lone surrogate) is kept as its
/// escaped text, upper-cased, so that <c>\ud800</c> and <c>\uD800</c> still match.</summary>
internal static class JsonText
{
    public static string Of(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.String)
        {
            return value.GetRawText();
        }

        try
        {
            return value.GetString()!;
        }
        catch (InvalidOperationException)
        {
            return "raw:" + value.GetRawText().ToUpperInvariant();
        }
    }
}
