using System.Text;
using System.Text.Json;

namespace PubSub.Sensitive;

/// <summary>Follows a <see cref="Utf8JsonReader"/> and says where it is as a JSONPath
/// (<c>$.data.items[2].email</c>); the path string is built only when asked for.</summary>
public sealed class JsonPathTracker(string root)
{
    private readonly List<Frame> _frames = [];

    /// <summary>The member that holds the current value, when it is in an object.</summary>
    public string? CurrentProperty => _frames.Count > 0 && !_frames[^1].IsArray ? _frames[^1].Name : null;

    /// <summary>Call after every <see cref="Utf8JsonReader.Read"/>.</summary>
    public void Track(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.PropertyName:
                _frames[^1] = _frames[^1] with { Name = reader.GetString() };
                break;
            case JsonTokenType.EndObject or JsonTokenType.EndArray:
                _frames.RemoveAt(_frames.Count - 1);
                break;
            case JsonTokenType.StartObject or JsonTokenType.StartArray:
                BeginValue();
                _frames.Add(new Frame(reader.TokenType == JsonTokenType.StartArray, -1, null));
                break;
            default:
                BeginValue();
                break;
        }
    }

    public override string ToString()
    {
        var path = new StringBuilder(root);
        foreach (var frame in _frames)
        {
            if (frame.IsArray)
            {
                path.Append('[').Append(frame.Index).Append(']');
            }
            else if (frame.Name is { } name)
            {
                var simple = name.Length > 0 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
                _ = simple ? path.Append('.').Append(name) : path.Append("['").Append(name.Replace("'", "\\'", StringComparison.Ordinal)).Append("']");
            }
        }

        return path.ToString();
    }

    private void BeginValue()
    {
        if (_frames.Count > 0 && _frames[^1].IsArray)
        {
            _frames[^1] = _frames[^1] with { Index = _frames[^1].Index + 1 };
        }
    }

    private readonly record struct Frame(bool IsArray, int Index, string? Name);
}
