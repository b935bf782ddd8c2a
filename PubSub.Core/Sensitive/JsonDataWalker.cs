using System.Text.Json;
using PubSub.Json;

namespace PubSub.Sensitive;

/// <summary>Walks one JSON value with a reader, in a single pass: refuses strings and member names
/// longer than a limit and, when asked, scans every string, member name and number for sensitive data. Tokens whose raw bytes
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
        Found? found = null;
        var overlongAt = -1L;
        var captured = captureMembers is null ? null : new string?[captureMembers.Length];
        var capturing = -1;
        var member = MemberName.None;
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

            if (token == JsonTokenType.String && capturing >= 0)
            {
                captured![capturing] = reader.GetString();
            }

            if (scan && TokenScanner.Find(ref reader, buffer.Span, member) is { } matches)
            {
                (found ??= new Found()).Add(reader.TokenStartIndex, token == JsonTokenType.PropertyName, matches);
            }

            capturing = -1;
            if (token == JsonTokenType.PropertyName)
            {
                member = MemberName.Of(ref reader);
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
                member = MemberName.None;
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

    private static List<SensitiveFinding> Findings(ReadOnlyMemory<byte> value, int valueStart, string rootPath, Found found)
    {
        var offsets = found.Items.Select(f => f.Offset - valueStart).Distinct().ToArray();
        var hidden = found.Names.Select(o => o - valueStart).ToHashSet();
        var paths = JsonPathTracker.PathsAt(value, rootPath, offsets, hidden);
        return [.. found.Items.Select(f => new SensitiveFinding(f.Match.Detector, paths[Array.IndexOf(offsets, f.Offset - valueStart)],
            Masking.Mask(f.Match.Detector, f.Match.Value)))];
    }

    /// <summary>What a walk found, by the offset of the token it was found in.</summary>
    private sealed class Found
    {
        public List<(long Offset, TextMatch Match)> Items { get; } = [];

        /// <summary>Member names that hold a finding (written <c>[*]</c> in paths).</summary>
        public List<long> Names { get; } = [];

        public void Add(long offset, bool isName, List<TextMatch> matches)
        {
            Items.AddRange(matches.Select(m => (offset, m)));
            if (isName)
            {
                Names.Add(offset);
            }
        }
    }
}

/// <param name="Findings">What was found (null when nothing, or not scanned).</param>
/// <param name="OverlongPath">The path of the first string over the limit, or null.</param>
/// <param name="Captured">The captured members' string values (null where absent or not a string).</param>
public readonly record struct DataWalk(List<SensitiveFinding>? Findings, string? OverlongPath, string?[]? Captured = null);
