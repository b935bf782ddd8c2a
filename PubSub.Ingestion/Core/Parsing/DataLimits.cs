using System.Text.Json;
using PubSub.Sensitive;

namespace PubSub.Ingestion.Core.Parsing;

internal static class DataLimits
{
    /// <summary>The path of the first string or member name in <paramref name="utf8Json"/> longer than
    /// the limit, or null; throws <see cref="JsonException"/> for malformed or too deeply nested JSON.
    /// One pass without allocating; the path is worked out only on a violation.</summary>
    public static string? FirstOverlongString(ReadOnlySpan<byte> utf8Json)
    {
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = EventLimits.MaxDepth });
        while (reader.Read())
        {
            if (reader.TokenType is JsonTokenType.String or JsonTokenType.PropertyName
                && reader.ValueSpan.Length > EventLimits.MaxStringLength
                && reader.GetString()!.Length > EventLimits.MaxStringLength)
            {
                return PathAt(utf8Json, reader.TokenStartIndex);
            }
        }

        return null;
    }

    private static string PathAt(ReadOnlySpan<byte> utf8Json, long offset)
    {
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions { MaxDepth = EventLimits.MaxDepth });
        var path = new JsonPathTracker("$");
        while (reader.Read())
        {
            path.Track(ref reader);
            if (reader.TokenStartIndex >= offset)
            {
                break;
            }
        }

        return path.ToString();
    }
}
