using System.Buffers;
using System.Text;
using System.Text.Json;
using Json.Schema;
using PubSub.Json;

namespace PubSub.Ingestion.Core.Validation;

/// <summary>The JSON Schemas of the system definition by event type, compiled once; an event whose
/// type has a schema must carry JSON data that satisfies it. Types without a schema cost nothing.
/// A schema that only names members (type, properties, required) is evaluated against those members
/// alone, copied out in one forward read: the same verdict and paths, without parsing a large
/// event's other members into a document (small data is parsed whole: that is cheaper).</summary>
public sealed class EventSchemas
{
    private static readonly EvaluationOptions Quick = new() { OutputFormat = OutputFormat.Flag };
    private static readonly EvaluationOptions Detailed = new() { OutputFormat = OutputFormat.List };
    /// <summary>Top-level keywords that look at no member of an object but the ones they name.</summary>
    private static readonly HashSet<string> NamedMemberKeywords =
        ["$schema", "$id", "$comment", "title", "description", "examples", "default", "deprecated", "readOnly", "writeOnly",
         "type", "properties", "required"];

    /// <summary>Below this size parsing the whole data is cheaper than copying members out first.</summary>
    private const int ProjectionThreshold = 8 * 1024;

    private readonly Dictionary<string, JsonSchema> _schemas;
    private readonly Dictionary<string, byte[][]> _projections;

    public EventSchemas(IReadOnlyDictionary<string, JsonElement> schemas)
    {
        _schemas = schemas.ToDictionary(s => s.Key, s => JsonSchema.FromText(s.Value.GetRawText()), StringComparer.Ordinal);
        _projections = schemas
            .Select(s => (s.Key, Members: NamedMembersOf(s.Value)))
            .Where(s => s.Members is not null)
            .ToDictionary(s => s.Key, s => s.Members!, StringComparer.Ordinal);
    }

    /// <summary>The members a schema can look at, when it can look at no others (only
    /// <see cref="NamedMemberKeywords"/> at its top level); null otherwise.</summary>
    private static byte[][]? NamedMembersOf(JsonElement schema)
    {
        if (schema.ValueKind != JsonValueKind.Object
            || schema.EnumerateObject().Any(k => !NamedMemberKeywords.Contains(k.Name)))
        {
            return null;
        }

        var names = new HashSet<string>(StringComparer.Ordinal);
        if (schema.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object)
        {
            names.UnionWith(properties.EnumerateObject().Select(p => p.Name));
        }

        if (schema.TryGetProperty("required", out var required) && required.ValueKind == JsonValueKind.Array)
        {
            names.UnionWith(required.EnumerateArray().Where(r => r.ValueKind == JsonValueKind.String).Select(r => r.GetString()!));
        }

        return [.. names.Select(Encoding.UTF8.GetBytes)];
    }

    public static EventSchemas None { get; } = new(new Dictionary<string, JsonElement>());

    public bool Has(string type) => _schemas.ContainsKey(type);

    /// <summary>The violations, as JSON pointers into the data and messages; empty when valid or
    /// when the type has no schema.</summary>
    public IReadOnlyList<SchemaError> Validate(string type, JsonPayload? data, bool hasBinaryData)
    {
        if (!_schemas.TryGetValue(type, out var schema))
        {
            return [];
        }

        if (hasBinaryData)
        {
            return [new SchemaError("", "The schema applies to JSON data; this event carries binary data (data_base64).")];
        }

        using var document = data is null ? JsonDocument.Parse("null")
            : data.Utf8.Length >= ProjectionThreshold && _projections.TryGetValue(type, out var members) ? Project(data.Utf8, members)
            : JsonDocument.Parse(data.Utf8);
        if (schema.Evaluate(document.RootElement, Quick).IsValid)
        {
            return [];
        }

        // Only a failing event pays for the detailed report.
        var results = schema.Evaluate(document.RootElement, Detailed);
        return [.. (results.Details ?? [])
            .Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => new SchemaError(d.InstanceLocation.ToString(), $"{e.Key}: {e.Value}")))
            .DistinctBy(e => (e.Path, e.Message))];
    }

    /// <summary>A document of the data's named top-level members (the data itself when it is not an object).</summary>
    private static JsonDocument Project(ReadOnlyMemory<byte> data, byte[][] members)
    {
        var reader = new Utf8JsonReader(data.Span);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
        {
            return JsonDocument.Parse(data);
        }

        var buffer = new ArrayBufferWriter<byte>(256);
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var name = Named(ref reader, members);
                reader.Read();
                var start = (int)reader.TokenStartIndex;
                reader.Skip();
                if (name is not null)
                {
                    writer.WritePropertyName(name);
                    writer.WriteRawValue(data.Span[start..(int)reader.BytesConsumed], skipInputValidation: true);
                }
            }

            writer.WriteEndObject();
        }

        return JsonDocument.Parse(buffer.WrittenMemory);
    }

    private static byte[]? Named(ref Utf8JsonReader reader, byte[][] members)
    {
        foreach (var member in members)
        {
            if (reader.ValueTextEquals(member))
            {
                return member;
            }
        }

        return null;
    }
}
