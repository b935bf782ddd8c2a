using System.Text;
using System.Text.Json;

namespace PubSub.Json;

/// <summary>Follows a <see cref="Utf8JsonReader"/> over a buffer and says where it is as a JSONPath
/// (<c>$.data.items[2].email</c>). Member names are remembered as positions in the buffer and decoded
/// only when a path or a name is asked for, so following costs no allocation.</summary>
/// <param name="hiddenNames">Offsets of member names to write as <c>[*]</c>, in their own path and the
/// paths below them: names that hold a sensitive finding, which a path must not repeat (alerts, logs
/// and answers carry paths).</param>
public sealed class JsonPathTracker(ReadOnlyMemory<byte> buffer, string root, IReadOnlySet<long>? hiddenNames = null)
{
    private readonly List<Frame> _frames = [];

    /// <summary>The paths of the tokens that start at <paramref name="offsets"/> in a JSON value.</summary>
    public static string[] PathsAt(ReadOnlyMemory<byte> value, string root, long[] offsets, IReadOnlySet<long>? hiddenNames = null)
    {
        var paths = new string[offsets.Length];
        var reader = new Utf8JsonReader(value.Span, new JsonReaderOptions { MaxDepth = 256 });
        var tracker = new JsonPathTracker(value, root, hiddenNames);
        var left = offsets.Length;
        while (left > 0 && reader.Read())
        {
            tracker.Track(ref reader);
            var index = Array.IndexOf(offsets, reader.TokenStartIndex);
            if (index >= 0 && paths[index] is null)
            {
                paths[index] = tracker.ToString();
                left--;
            }
        }

        return paths;
    }

    /// <summary>Call after every <see cref="Utf8JsonReader.Read"/> of a reader over the buffer.</summary>
    public void Track(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.PropertyName:
                _frames[^1] = _frames[^1] with
                {
                    NameStart = (int)reader.TokenStartIndex + 1,
                    NameLength = reader.ValueSpan.Length,
                    NameEscaped = reader.ValueIsEscaped,
                    NameHidden = hiddenNames?.Contains(reader.TokenStartIndex) == true,
                };
                break;
            case JsonTokenType.EndObject or JsonTokenType.EndArray:
                _frames.RemoveAt(_frames.Count - 1);
                break;
            case JsonTokenType.StartObject or JsonTokenType.StartArray:
                BeginValue();
                _frames.Add(new Frame(reader.TokenType == JsonTokenType.StartArray, -1, -1, 0, false, false));
                break;
            default:
                BeginValue();
                break;
        }
    }

    /// <summary>The member that holds the current value, when it is in an object.</summary>
    public string? CurrentProperty => _frames.Count > 0 && !_frames[^1].IsArray && _frames[^1].NameStart >= 0 ? NameOf(_frames[^1]) : null;

    public override string ToString()
    {
        var path = new StringBuilder(root);
        foreach (var frame in _frames)
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
                var name = NameOf(frame);
                var simple = name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
                _ = simple ? path.Append('.').Append(name) : path.Append("['").Append(name.Replace("'", "\\'", StringComparison.Ordinal)).Append("']");
            }
        }

        return path.ToString();
    }

    private string NameOf(Frame frame)
    {
        var raw = Encoding.UTF8.GetString(buffer.Span.Slice(frame.NameStart, frame.NameLength));
        // A name that does not decode (a lone surrogate escape) is shown as it was sent: it is what a path names.
        return frame.NameEscaped && JsonText.Check(buffer.Span.Slice(frame.NameStart, frame.NameLength), escaped: true) != TextFault.LoneSurrogate
            ? JsonSerializer.Deserialize('"' + raw + '"', JsonStrings.Default.String)!
            : raw;
    }

    private void BeginValue()
    {
        if (_frames.Count > 0 && _frames[^1].IsArray)
        {
            _frames[^1] = _frames[^1] with { Index = _frames[^1].Index + 1 };
        }
    }

    private readonly record struct Frame(bool IsArray, int Index, int NameStart, int NameLength, bool NameEscaped, bool NameHidden);
}
