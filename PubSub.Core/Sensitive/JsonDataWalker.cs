using System.Text;
using System.Text.Json;
using PubSub.Json;

namespace PubSub.Sensitive;

/// <summary>Walks one JSON value with a reader, in a single pass: refuses strings and member names
/// longer than a limit and, when asked, scans every string for sensitive data. Strings whose raw bytes
/// cannot hold anything a detector looks for are never decoded, and JSON paths are worked out only for
/// what was found (by a second walk, which ordinary data never needs).</summary>
public static class JsonDataWalker
{
    /// <param name="reader">Positioned on the value's first token; left on its last.</param>
    /// <param name="buffer">The bytes the reader reads (for paths).</param>
    /// <param name="rootPath">The value's JSONPath (<c>$.data</c>).</param>
    /// <param name="scan">Whether to look for sensitive data.</param>
    /// <param name="maxStringLength">Longest string or member name allowed, in characters.</param>
    /// <param name="captureMembers">Top-level members whose string values to return (plain JSON's <c>type</c>).</param>
    public static DataWalk Walk(ref Utf8JsonReader reader, ReadOnlyMemory<byte> buffer, string rootPath, bool scan, int maxStringLength,
        string[]? captureMembers = null)
    {
        List<(long Offset, TextMatch Match, string Sample)>? found = null;
        var overlongAt = -1L;
        var captured = captureMembers is null ? null : new string?[captureMembers.Length];
        var capturing = -1;
        var member = (Start: -1, Length: 0, Escaped: false);
        var startDepth = reader.CurrentDepth;
        var valueStart = (int)reader.TokenStartIndex;
        while (true)
        {
            var token = reader.TokenType;
            if (overlongAt < 0 && token is JsonTokenType.String or JsonTokenType.PropertyName
                && reader.ValueSpan.Length > maxStringLength && reader.GetString()!.Length > maxStringLength)
            {
                overlongAt = reader.TokenStartIndex;
            }

            if (token == JsonTokenType.String)
            {
                if (capturing >= 0)
                {
                    captured![capturing] = reader.GetString();
                }

                if (scan)
                {
                    ScanString(ref reader, buffer.Span, member, ref found);
                }
            }

            capturing = -1;
            if (token == JsonTokenType.PropertyName)
            {
                member = ((int)reader.TokenStartIndex + 1, reader.ValueSpan.Length, reader.ValueIsEscaped);
                if (captureMembers is not null && reader.CurrentDepth == startDepth + 1)
                {
                    for (var i = 0; i < captureMembers.Length && capturing < 0; i++)
                    {
                        capturing = reader.ValueTextEquals(captureMembers[i]) ? i : -1;
                    }
                }
            }
            else
            {
                member = (-1, 0, false);
            }

            var finished = reader.CurrentDepth == startDepth
                           && token is not (JsonTokenType.StartObject or JsonTokenType.StartArray or JsonTokenType.PropertyName);
            if (finished || !reader.Read())
            {
                break;
            }
        }

        var value = buffer[valueStart..(int)reader.BytesConsumed];
        return new DataWalk(
            found is null ? null : Findings(value, valueStart, rootPath, found),
            overlongAt < 0 ? null : JsonPathTracker.PathsAt(value, rootPath, [overlongAt - valueStart])[0],
            captured);
    }

    private static void ScanString(ref Utf8JsonReader reader, ReadOnlySpan<byte> buffer, (int Start, int Length, bool Escaped) member,
        ref List<(long Offset, TextMatch Match, string Sample)>? found)
    {
        string? text = null;
        var profile = reader.ValueIsEscaped ? TextProfile.Of(text = reader.GetString()!) : TextProfile.Of(reader.ValueSpan);
        if (!profile.MayContainSomething)
        {
            return;
        }

        text ??= reader.GetString()!;
        var name = profile.MayHaveSsn && member.Start >= 0 ? NameAt(buffer, member) : null;
        foreach (var match in TextScanner.Find(text, name, profile))
        {
            (found ??= []).Add((reader.TokenStartIndex, match, Masking.Mask(match.Detector, text.Substring(match.Start, match.Length))));
        }
    }

    private static List<SensitiveFinding> Findings(ReadOnlyMemory<byte> value, int valueStart, string rootPath,
        List<(long Offset, TextMatch Match, string Sample)> found)
    {
        var offsets = found.Select(f => f.Offset - valueStart).Distinct().ToArray();
        var paths = JsonPathTracker.PathsAt(value, rootPath, offsets);
        return [.. found.Select(f => new SensitiveFinding(f.Match.Detector, paths[Array.IndexOf(offsets, f.Offset - valueStart)], f.Sample))];
    }

    private static string NameAt(ReadOnlySpan<byte> buffer, (int Start, int Length, bool Escaped) member)
    {
        var raw = buffer.Slice(member.Start, member.Length);
        return member.Escaped ? JsonSerializer.Deserialize('"' + Encoding.UTF8.GetString(raw) + '"', JsonStrings.Default.String)! : Encoding.UTF8.GetString(raw);
    }
}

/// <param name="Findings">What was found (null when nothing, or not scanned).</param>
/// <param name="OverlongPath">The path of the first string over the limit, or null.</param>
/// <param name="Captured">The captured members' string values (null where absent or not a string).</param>
public readonly record struct DataWalk(List<SensitiveFinding>? Findings, string? OverlongPath, string?[]? Captured = null);
