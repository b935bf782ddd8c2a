using System.Text.Json;
using PubSub.Events;

namespace PubSub.IntegrationTests.Faults;

/// <summary>A message of a dead-letter queue as the corpus counts it: why (kind and error code) and
/// whose event (publisher and id, from the event, the table item or the stream record's new image).</summary>
internal sealed record CorpusDeadLetter(string Queue, string Reason, string? Publisher, string? Id)
{
    /// <summary>Never throws: a body this system did not write is counted under reason <c>unreadable</c>.</summary>
    public static CorpusDeadLetter Read(string queue, string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            var root = document.RootElement;
            var kind = Text(root, "kind") ?? "unknown";
            var code = root.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object ? Text(error, "code") : null;
            var reason = code is null || code == kind ? kind : $"{kind}: {code}";
            if (root.TryGetProperty("event", out var cloudEvent) && cloudEvent.ValueKind == JsonValueKind.Object)
            {
                return new CorpusDeadLetter(queue, reason, Text(cloudEvent, "publisher"), Text(cloudEvent, "id"));
            }

            return FindKey(root) is { } key && key.IndexOf('#', StringComparison.Ordinal) is var hash and > 0
                ? new CorpusDeadLetter(queue, reason, key[..hash], key[(hash + 1)..])
                : new CorpusDeadLetter(queue, reason, null, null);
        }
        catch (JsonException)
        {
            return new CorpusDeadLetter(queue, "unreadable", null, null);
        }
    }

    /// <summary>The item key (<c>publisher#id</c>) anywhere in a table item or a stream record.</summary>
    private static string? FindKey(JsonElement element)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var member in element.EnumerateObject())
                {
                    if (member.NameEquals(EventItem.Key) && member.Value.ValueKind == JsonValueKind.Object && Text(member.Value, "S") is { } key)
                    {
                        return key;
                    }

                    if (FindKey(member.Value) is { } found)
                    {
                        return found;
                    }
                }

                return null;
            case JsonValueKind.Array:
                return element.EnumerateArray().Select(FindKey).FirstOrDefault(k => k is not null);
            default:
                return null;
        }
    }

    private static string? Text(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? JsonText.Of(value) : null;
}
