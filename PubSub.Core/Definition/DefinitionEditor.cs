using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PubSub.Definition;

/// <summary>Changes one publisher of a definition file in place (or adds a subscription): only what changed in that
/// publisher's object (or the new entry) is written, so comments and layout survive. The result must load as a valid definition
/// before it is saved, and it is saved as editors save (a new file renamed over the old one), so the
/// running services reload it whole.</summary>
public static class DefinitionEditor
{
    private static readonly JsonReaderOptions ReaderOptions = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <exception cref="SystemDefinitionException">The file cannot be read, has no such publisher, or the change makes it invalid.</exception>
    public static SystemDefinition UpdatePublisher(string path, string publisher, Action<JsonObject> change) =>
        Save(path, text => UpdatePublisherText(text, publisher, change, path));

    /// <summary>Appends <paramref name="subscription"/> to the top-level <c>subscriptions</c> array (made when missing),
    /// as one line; the result must be valid (the validator's message otherwise) before it is saved.</summary>
    /// <exception cref="SystemDefinitionException">The file cannot be read, or the subscription makes it invalid.</exception>
    public static SystemDefinition AddSubscription(string path, JsonObject subscription) =>
        Save(path, text => AddSubscriptionText(text, subscription));

    public static string AddSubscriptionText(string text, JsonObject subscription)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var entry = subscription.ToJsonString(Unescaped);
        var (position, insertion) = FindSubscriptionsEnd(bytes) switch
        {
            ({ } lastEnd, _) => (lastEnd, $",\n    {entry}"),
            (null, { } arrayStart) => (arrayStart, $"\n    {entry}\n  "),
            _ => (LastRootValueEnd(bytes), $",\n  \"subscriptions\": [\n    {entry}\n  ]"),
        };
        return Encoding.UTF8.GetString(bytes, 0, position) + insertion + Encoding.UTF8.GetString(bytes, position, bytes.Length - position);
    }

    /// <summary>Reads, changes, validates and saves the file as editors save it.</summary>
    private static SystemDefinition Save(string path, Func<string, string> change)
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

        var updated = change(text);
        var definition = SystemDefinitionLoader.Parse(updated, path); // refuses an invalid result
        var temporary = path + ".pubsub-tmp";
        File.WriteAllText(temporary, updated);
        File.Move(temporary, path, overwrite: true);
        return definition;
    }

    /// <summary>A URL or a filter policy written as given: the default encoder would print <c>&amp;</c> as <c>\u0026</c>.</summary>
    private static readonly JsonSerializerOptions Unescaped = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>The end of the last entry of the top-level <c>subscriptions</c> array, or (when it is empty) the position
    /// just after its <c>[</c>; both null when there is no such array.</summary>
    private static (int? LastEntryEnd, int? ArrayStart) FindSubscriptionsEnd(byte[] json)
    {
        var reader = new Utf8JsonReader(json, ReaderOptions);
        while (reader.Read())
        {
            if (reader.TokenType != JsonTokenType.PropertyName || reader.CurrentDepth != 1 || !reader.ValueTextEquals("subscriptions"))
            {
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray && reader.CurrentDepth >= 1)
                {
                    reader.Skip();
                }

                continue;
            }

            reader.Read();
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw new SystemDefinitionException("(text)", ["'subscriptions' must be an array"]);
            }

            var arrayStart = (int)reader.BytesConsumed;
            int? lastEnd = null;
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                reader.Skip();
                lastEnd = (int)reader.BytesConsumed;
            }

            return (lastEnd, arrayStart);
        }

        return (null, null);
    }

    /// <summary>The end of the root object's last value (where a new property goes, before any comment or the <c>}</c>).</summary>
    private static int LastRootValueEnd(byte[] json)
    {
        var reader = new Utf8JsonReader(json, ReaderOptions);
        var end = 0;
        while (reader.Read())
        {
            if (reader.CurrentDepth == 0)
            {
                end = reader.TokenType == JsonTokenType.StartObject ? (int)reader.BytesConsumed : end;
                continue;
            }

            if (reader.TokenType == JsonTokenType.PropertyName)
            {
                reader.Read();
                reader.Skip();
                end = (int)reader.BytesConsumed;
            }
        }

        return end;
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
