using System.Text;
using System.Text.Json;
using PubSub.Json;

namespace PubSub.Sensitive;

/// <summary>The JSONPaths of findings, worked out by a second walk that only documents with findings
/// need. A member name that holds a finding is written <c>[*]</c>, in its own path and in the paths
/// below it, so that a path never repeats a sensitive value (alerts, logs and answers carry paths).</summary>
internal static class FindingPaths
{
    /// <param name="value">A JSON value; offsets are relative to its start.</param>
    /// <param name="hiddenNames">Offsets of the member names to write as <c>[*]</c>.</param>
    public static string[] At(ReadOnlyMemory<byte> value, string root, long[] offsets, IReadOnlySet<long> hiddenNames)
    {
        var paths = new string[offsets.Length];
        var reader = new Utf8JsonReader(value.Span, new JsonReaderOptions { MaxDepth = 256 });
        var frames = new List<Frame>();
        var left = offsets.Length;
        while (left > 0 && reader.Read())
        {
            Track(ref reader, frames, hiddenNames);
            var index = Array.IndexOf(offsets, reader.TokenStartIndex);
            if (index >= 0 && paths[index] is null)
            {
                paths[index] = PathOf(value.Span, root, frames);
                left--;
            }
        }

        return paths;
    }

    private static void Track(ref Utf8JsonReader reader, List<Frame> frames, IReadOnlySet<long> hiddenNames)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.PropertyName:
                frames[^1] = frames[^1] with
                {
                    NameStart = (int)reader.TokenStartIndex + 1,
                    NameLength = reader.ValueSpan.Length,
                    NameEscaped = reader.ValueIsEscaped,
                    NameHidden = hiddenNames.Contains(reader.TokenStartIndex),
                };
                break;
            case JsonTokenType.EndObject or JsonTokenType.EndArray:
                frames.RemoveAt(frames.Count - 1);
                break;
            case JsonTokenType.StartObject or JsonTokenType.StartArray:
                NextElement(frames);
                frames.Add(new Frame(reader.TokenType == JsonTokenType.StartArray, -1, -1, 0, false, false));
                break;
            default:
                NextElement(frames);
                break;
        }
    }

    private static void NextElement(List<Frame> frames)
    {
        if (frames.Count > 0 && frames[^1].IsArray)
        {
            frames[^1] = frames[^1] with { Index = frames[^1].Index + 1 };
        }
    }

    private static string PathOf(ReadOnlySpan<byte> buffer, string root, List<Frame> frames)
    {
        var path = new StringBuilder(root);
        foreach (var frame in frames)
        {
            if (frame.IsArray)
            {
                path.Append('[').Append(frame.Index).Append(']');
            }
            else if (frame.NameHidden)
            {
                path.Append("[*]");
            }
            else if (frame.NameStart >= 0)
            {
                var raw = buffer.Slice(frame.NameStart, frame.NameLength);
                var name = frame.NameEscaped
                    ? JsonSerializer.Deserialize('"' + Encoding.UTF8.GetString(raw) + '"', JsonStrings.Default.String)!
                    : Encoding.UTF8.GetString(raw);
                var simple = name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
                _ = simple ? path.Append('.').Append(name) : path.Append("['").Append(name.Replace("'", "\\'", StringComparison.Ordinal)).Append("']");
            }
        }

        return path.ToString();
    }

    private readonly record struct Frame(bool IsArray, int Index, int NameStart, int NameLength, bool NameEscaped, bool NameHidden);
}
