using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PubSub.Definition;

/// <summary>Writes a changed JSON object over its original text, touching only what changed: a changed value is
/// replaced in place, a removed member is cut with its separator, an added one is inserted after the last member in
/// that member's layout. Unchanged members keep their text, so changing a value and changing it back leaves no diff.</summary>
internal static class JsonObjectPatch
{
    private static readonly JsonDocumentOptions DocumentOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
    private static readonly JsonReaderOptions ReaderOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    private readonly record struct Member(string Name, int NameStart, int NameEnd, int ValueStart, int ValueEnd);

    /// <param name="json">The UTF-8 text of one JSON object, from its '{' to its '}'.</param>
    public static string Apply(byte[] json, JsonObject updated)
    {
        var original = JsonNode.Parse(json, documentOptions: DocumentOptions)!.AsObject();
        var members = Members(json);
        var kept = members.Select((m, i) => (m, i)).Where(x => updated.ContainsKey(x.m.Name)).Select(x => x.i).ToList();
        var added = updated.Where(p => !original.ContainsKey(p.Key)).ToList();
        var output = new StringBuilder();
        var position = 0;

        void CopyTo(int end)
        {
            if (end > position)
            {
                output.Append(Encoding.UTF8.GetString(json, position, end - position));
                position = end;
            }
        }

        for (var i = 0; i < members.Count; i++)
        {
            var m = members[i];
            if (!updated.TryGetPropertyValue(m.Name, out var value))
            {
                // Cut from the end of the kept member before it (taking the comma), or up to the kept member after it.
                var before = kept.LastOrDefault(k => k < i, -1);
                var after = kept.FirstOrDefault(k => k > i, -1);
                var (cutStart, cutEnd) = before >= 0 ? (members[before].ValueEnd, m.ValueEnd)
                    : after >= 0 ? (m.NameStart, members[after].NameStart)
                    : (m.NameStart, m.ValueEnd);
                CopyTo(cutStart);
                position = Math.Max(position, cutEnd);
                continue;
            }

            if (!JsonNode.DeepEquals(original[m.Name], value))
            {
                CopyTo(m.ValueStart);
                output.Append(original[m.Name] is JsonObject && value is JsonObject changed
                    ? Apply(json[m.ValueStart..m.ValueEnd], changed)
                    : Inline(value));
                position = m.ValueEnd;
            }

            if (added.Count > 0 && i == kept[^1])
            {
                CopyTo(m.ValueEnd);
                var indent = Indent(json, members, i);
                var colon = Encoding.UTF8.GetString(json, m.NameEnd, m.ValueStart - m.NameEnd);
                foreach (var (name, node) in added)
                {
                    output.Append(',').Append(indent).Append(Quote(name)).Append(colon).Append(Inline(node));
                }
            }
        }

        if (added.Count > 0 && kept.Count == 0)
        {
            CopyTo(1); // just after '{'
            output.Append(' ').AppendJoin(", ", added.Select(p => $"{Quote(p.Key)}: {Inline(p.Value)}")).Append(' ');
            position = json.Length - 1; // the closing '}'
        }

        CopyTo(json.Length);
        return output.ToString();
    }

    /// <summary>What separates the member from the one before it, without the comma: a new line and indentation in an
    /// object written one member a line, a space in one written on one line.</summary>
    private static string Indent(byte[] json, List<Member> members, int index)
    {
        var from = index > 0 ? members[index - 1].ValueEnd : 1;
        var between = Encoding.UTF8.GetString(json, from, members[index].NameStart - from);
        var comma = between.IndexOf(',', StringComparison.Ordinal);
        return comma >= 0 ? between[(comma + 1)..] : between;
    }

    /// <summary>A new value in the layout definitions use for short values: <c>{ "a": 1, "b": [ 2 ] }</c>.</summary>
    private static string Inline(JsonNode? node) => node switch
    {
        JsonObject { Count: 0 } => "{}",
        JsonObject o => "{ " + string.Join(", ", o.Select(p => $"{Quote(p.Key)}: {Inline(p.Value)}")) + " }",
        JsonArray { Count: 0 } => "[]",
        JsonArray a => "[ " + string.Join(", ", a.Select(Inline)) + " ]",
        null => "null",
        _ => node.ToJsonString(),
    };

    private static string Quote(string name) => JsonValue.Create(name).ToJsonString();

    /// <summary>The object's own members with the byte ranges of their names and values.</summary>
    private static List<Member> Members(byte[] json)
    {
        var members = new List<Member>();
        var reader = new Utf8JsonReader(json, ReaderOptions);
        reader.Read(); // '{'
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            var name = reader.GetString()!;
            var nameStart = (int)reader.TokenStartIndex;
            var nameEnd = NameEnd(json, nameStart);
            reader.Read();
            var valueStart = (int)reader.TokenStartIndex;
            reader.Skip();
            members.Add(new Member(name, nameStart, nameEnd, valueStart, (int)reader.BytesConsumed));
        }

        return members;
    }

    /// <summary>Just past the closing quote of the name that starts at <paramref name="start"/>.</summary>
    private static int NameEnd(byte[] json, int start)
    {
        for (var i = start + 1; i < json.Length; i++)
        {
            if (json[i] == '\\')
            {
                i++;
            }
            else if (json[i] == '"')
            {
                return i + 1;
            }
        }

        return json.Length;
    }
}
