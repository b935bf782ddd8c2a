using System.Globalization;
using System.Text.RegularExpressions;
using PubSub.Events;

namespace PubSub.Ingestion.Core.Parsing;

/// <summary>The CloudEvents attribute rules every mode applies, with the system's length limits.</summary>
internal static partial class AttributeRules
{
    public static readonly string[] ContextAttributeNames =
    [
        "specversion", "id", "source", "type", "subject", "time", "datacontenttype", "dataschema", "data", "data_base64",
    ];

    public static readonly HashSet<string> ContextAttributes = new(ContextAttributeNames, StringComparer.Ordinal);

    public static Problem? CheckId(string id) =>
        id.Length <= EventLimits.MaxIdLength && !id.Any(char.IsControl)
            ? null
            : Problems.InvalidEvent($"id must be at most {EventLimits.MaxIdLength} characters without control characters.");

    public static Problem? CheckLength(string name, string? value) =>
        value is null || value.Length <= EventLimits.MaxAttributeLength
            ? null
            : Problems.InvalidEvent($"{name} is longer than {EventLimits.MaxAttributeLength} characters.");

    /// <param name="where">How the publisher sent it: the name, or the header that carried it.</param>
    public static Problem? CheckExtensionName(string name, string? where = null) =>
        ReservedAttributes.Contains(name)
            ? Problems.ReservedAttribute(where ?? name)
            : ExtensionName().IsMatch(name)
                ? null
                : Problems.InvalidEvent($"'{name}' is not a valid CloudEvents extension attribute name: 1-20 lower-case letters or digits.");

    public static Problem? ParseTime(string? text, out DateTimeOffset? time)
    {
        time = null;
        if (text is null)
        {
            return null;
        }

        // RFC 3339 in full: a time without an offset would be read in the server's own zone.
        if (Rfc3339().IsMatch(text)
            && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var parsed))
        {
            time = parsed;
            return null;
        }

        return Problems.InvalidEvent($"time \"{text}\" is not an RFC 3339 timestamp (for example 2024-05-01T12:00:00Z).");
    }

    // \z, not $: $ also matches before a final line feed, which would let "publisher\n" through.
    [GeneratedRegex(@"^[a-z0-9]{1,20}\z")]
    private static partial Regex ExtensionName();

    [GeneratedRegex(@"^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})\z")]
    private static partial Regex Rfc3339();
}
