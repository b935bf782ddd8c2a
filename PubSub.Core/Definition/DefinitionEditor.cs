using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PubSub.Definition;

/// <summary>Changes one publisher of a definition file in place: only what changed in that publisher's
/// object is rewritten, so comments and layout survive. The result must load as a valid definition
/// before it is saved, and it is saved as editors save (a new file renamed over the old one), so the
/// running services reload it whole.</summary>
public static class DefinitionEditor
{
    private static readonly JsonReaderOptions ReaderOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <exception cref="SystemDefinitionException">The file cannot be read, has no such publisher, or the change makes it invalid.</exception>
    public static SystemDefinition UpdatePublisher(string path, string publisher, Action<JsonObject> change)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SystemDefinitionException(path, [$"cannot be read: {e.Message}"]);
        }

        var updated = UpdatePublisherText(text, publisher, change, path);
        var definition = SystemDefinitionLoader.Parse(updated, path); // refuses an invalid result
        var temporary = path + ".pubsub-tmp";
        File.WriteAllText(temporary, updated);
        File.Move(temporary, path, overwrite: true);
        return definition;
    }

    public static string UpdatePublisherText(string text, string publisher, Action<JsonObject> change, string source = "(text)")
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var (start, end) = FindPublisher(bytes, publisher)
                           ?? throw new SystemDefinitionException(source, [$"has no publisher named '{publisher}'"]);
        var entry = bytes[start..end];
        var node = JsonNode.Parse(entry, documentOptions: new JsonDocumentOptions
        {
            CommentHandling = JsonCommentHandling.Skip,
            AllowTrailingCommas = true,
        })!.AsObject();
        change(node);
        var replacement = JsonObjectPatch.Apply(entry, node);
        return Encoding.UTF8.GetString(bytes, 0, start) + replacement + Encoding.UTF8.GetString(bytes, end, bytes.Length - end);
    }

    /// <summary>The byte range of the publisher's object in the top-level <c>publishers</c> array.</summary>
    private static (int Start, int End)? FindPublisher(byte[] json, string publisher)
    {
        var reader = new Utf8JsonReader(json, ReaderOptions);
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1 || !reader.ValueTextEquals("publishers"))
            {
                continue;
            }

            reader.Read();
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                return null;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.StartObject)
            {
                var start = (int)reader.TokenStartIndex;
                var copy = reader;
                reader.Skip();
                var end = (int)reader.BytesConsumed;
                if (NameOf(ref copy) == publisher)
                {
                    return (start, end);
                }
            }

            return null;
        }

        return null;
    }

    private static string? NameOf(ref Utf8JsonReader reader)
    {
        var depth = reader.CurrentDepth;
        while (reader.Read() && reader.CurrentDepth > depth)
        {
            if (reader.TokenType == JsonTokenType.PropertyName && reader.CurrentDepth == depth + 1 && reader.ValueTextEquals("name"))
            {
                reader.Read();
                return reader.TokenType == JsonTokenType.String ? reader.GetString() : null;
            }

            if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
            {
                reader.Skip();
            }
        }

        return null;
    }
}
