using System.Text;
using System.Text.Json;
using PubSub.Json;

namespace PubSub.Ingestion.Core.Parsing;

/// <summary>Turns what <see cref="JsonValueChecker"/> found into a problem naming the JSONPath. Paths are
/// worked out only for refused events.</summary>
internal static class JsonFaults
{
    /// <summary>Checks the JSON value the reader is on (the reader does not move); one checker per event.</summary>
    public static Problem? Check(JsonValueChecker checker, Utf8JsonReader reader, ReadOnlyMemory<byte> body, string rootPath) =>
        checker.Check(reader) is { } fault ? ProblemOf(fault, body, (int)reader.TokenStartIndex, rootPath) : null;

    public static Problem ProblemOf(JsonFault fault, ReadOnlyMemory<byte> body, int valueStart, string rootPath)
    {
        var path = PathAt(body, valueStart, fault.Offset, rootPath);
        return fault.Kind switch
        {
            JsonFaultKind.Text => Problems.InvalidCharacters(path, JsonText.Describe(fault.Text)),
            JsonFaultKind.DuplicateMember => Problems.DuplicateMember(path, NameAt(body, fault.Offset)),
            _ => Problems.TooManyArrayElements(EventLimits.MaxArrayElements, path),
        };
    }

    /// <summary>The text check of a string token outside data (attributes, extensions, member names of the event).</summary>
    /// <param name="member">The event's member it is (or is the name of), for the path; null for the name itself.</param>
    public static Problem? CheckToken(ref Utf8JsonReader reader, string? member) =>
        JsonText.Check(reader.ValueSpan, reader.ValueIsEscaped) is var fault and not TextFault.None
            ? Problems.InvalidCharacters(member is null ? $"$['{Encoding.UTF8.GetString(reader.ValueSpan)}']" : "$." + member, JsonText.Describe(fault))
            : null;

    /// <summary>The text check of a decoded attribute value (from the body or a header).</summary>
    /// <param name="prefix">Put before <paramref name="where"/> in the problem (<c>$.</c> for the body's members).</param>
    public static Problem? CheckAttribute(string where, string? value, string prefix = "") =>
        value is not null && JsonText.Check(value, attribute: true) is var fault and not TextFault.None
            ? Problems.InvalidCharacters(prefix + where, JsonText.Describe(fault))
            : null;

    private static string PathAt(ReadOnlyMemory<byte> body, int valueStart, long offset, string rootPath)
    {
        try
        {
            return JsonPathTracker.PathsAt(body[valueStart..], rootPath, [offset - valueStart])[0] ?? rootPath;
        }
        catch (JsonException)
        {
            return rootPath; // the value is followed by more of a batch; the fault was found before
        }
    }

    /// <summary>The member name at a property-name token, as sent (escapes kept).</summary>
    private static string NameAt(ReadOnlyMemory<byte> body, long offset)
    {
        var rest = body.Span[((int)offset + 1)..];
        var end = 0;
        while (end < rest.Length && rest[end] != (byte)'"')
        {
            end += rest[end] == (byte)'\\' ? 2 : 1;
        }

        return Encoding.UTF8.GetString(rest[..Math.Min(end, rest.Length)]);
    }
}
