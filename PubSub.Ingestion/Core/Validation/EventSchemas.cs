using System.Text.Json;
using Json.Schema;
using PubSub.Json;

namespace PubSub.Ingestion.Core.Validation;

/// <summary>The JSON Schemas of the system definition by event type, compiled once; an event whose
/// type has a schema must carry JSON data that satisfies it. Types without a schema cost nothing.</summary>
public sealed class EventSchemas
{
    private static readonly EvaluationOptions Quick = new() { OutputFormat = OutputFormat.Flag };
    private static readonly EvaluationOptions Detailed = new() { OutputFormat = OutputFormat.List };
    private readonly Dictionary<string, JsonSchema> _schemas;

    public EventSchemas(IReadOnlyDictionary<string, JsonElement> schemas)
    {
        _schemas = schemas.ToDictionary(s => s.Key, s => JsonSchema.FromText(s.Value.GetRawText()), StringComparer.Ordinal);
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

        using var document = data is null ? JsonDocument.Parse("null") : JsonDocument.Parse(data.Utf8);
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
}
