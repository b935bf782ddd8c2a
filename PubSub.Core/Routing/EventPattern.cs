using System.Text.Json;

namespace PubSub.Routing;

/// <summary>A compiled Amazon EventBridge event pattern. A pattern is a JSON object whose leaves are
/// arrays of alternatives; an event matches when every leaf field matches one of its alternatives
/// (a field holding an array matches when any of its elements does).
/// This version evaluates exact values (strings, numbers, booleans, null) and <c>prefix</c>; any other
/// operator is refused when the pattern is compiled, naming the operator, rather than mis-evaluated.</summary>
public sealed class EventPattern
{
    private readonly FieldMatcher[] _fields;

    private EventPattern(FieldMatcher[] fields) => _fields = fields;

    public static EventPattern Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            return Compile(document.RootElement);
        }
        catch (JsonException e)
        {
            throw new EventPatternException($"The pattern is not valid JSON: {e.Message}", e);
        }
    }

    public static EventPattern Compile(JsonElement pattern)
    {
        if (pattern.ValueKind != JsonValueKind.Object)
        {
            throw new EventPatternException("A pattern must be a JSON object.");
        }

        var fields = new List<FieldMatcher>();
        CompileObject(pattern, [], fields);
        if (fields.Count == 0)
        {
            throw new EventPatternException("A pattern must contain at least one field to match.");
        }

        return new EventPattern([.. fields]);
    }

    /// <summary>True when <paramref name="eventDocument"/> (the CloudEvent as JSON) matches.</summary>
    public bool Matches(JsonElement eventDocument)
    {
        foreach (var field in _fields)
        {
            if (!field.Matches(eventDocument))
            {
                return false;
            }
        }

        return true;
    }

    private static void CompileObject(JsonElement pattern, string[] path, List<FieldMatcher> fields)
    {
        foreach (var property in pattern.EnumerateObject())
        {
            if (property.Name.StartsWith('$'))
            {
                throw new EventPatternException($"'{property.Name}' is not supported yet (at {Describe(path)}).");
            }

            string[] fieldPath = [.. path, property.Name];
            switch (property.Value.ValueKind)
            {
                case JsonValueKind.Object:
                    CompileObject(property.Value, fieldPath, fields);
                    break;
                case JsonValueKind.Array:
                    fields.Add(new FieldMatcher(fieldPath, CompileAlternatives(property.Value, fieldPath)));
                    break;
                default:
                    throw new EventPatternException(
                        $"The value of '{Describe(fieldPath)}' must be an array of alternatives or an object, not {property.Value.ValueKind}.");
            }
        }
    }

    private static ValueMatcher[] CompileAlternatives(JsonElement alternatives, string[] path)
    {
        if (alternatives.GetArrayLength() == 0)
        {
            throw new EventPatternException($"'{Describe(path)}' has an empty array; it would never match.");
        }

        return [.. alternatives.EnumerateArray().Select(a => CompileAlternative(a, path))];
    }

    private static ValueMatcher CompileAlternative(JsonElement alternative, string[] path) =>
        alternative.ValueKind switch
        {
            JsonValueKind.String => ValueMatcher.Exact(JsonValueKind.String, alternative.GetString()!),
            JsonValueKind.Number => ValueMatcher.Exact(JsonValueKind.Number, alternative.GetRawText()),
            JsonValueKind.True or JsonValueKind.False => ValueMatcher.Exact(alternative.ValueKind, ""),
            JsonValueKind.Null => ValueMatcher.Exact(JsonValueKind.Null, ""),
            JsonValueKind.Object => CompileOperator(alternative, path),
            _ => throw new EventPatternException($"'{Describe(path)}' contains a nested array, which patterns do not allow."),
        };

    private static ValueMatcher CompileOperator(JsonElement alternative, string[] path)
    {
        using var properties = alternative.EnumerateObject();
        if (!properties.MoveNext())
        {
            throw new EventPatternException($"'{Describe(path)}' contains an empty object instead of an operator.");
        }

        var op = properties.Current;
        if (properties.MoveNext())
        {
            throw new EventPatternException($"'{Describe(path)}' has an operator object with more than one key.");
        }

        return op.Name switch
        {
            "prefix" when op.Value.ValueKind == JsonValueKind.String => ValueMatcher.Prefix(op.Value.GetString()!),
            "prefix" => throw new EventPatternException($"'prefix' at '{Describe(path)}' needs a string."),
            _ => throw new EventPatternException($"The operator '{op.Name}' at '{Describe(path)}' is not supported yet."),
        };
    }

    private static string Describe(string[] path) => path.Length == 0 ? "(root)" : string.Join('.', path);

    private sealed class FieldMatcher(string[] path, ValueMatcher[] alternatives)
    {
        public bool Matches(JsonElement document)
        {
            var current = document;
            foreach (var name in path)
            {
                if (current.ValueKind != JsonValueKind.Object || !current.TryGetProperty(name, out current))
                {
                    return false;
                }
            }

            if (current.ValueKind != JsonValueKind.Array)
            {
                return MatchesAny(current);
            }

            foreach (var element in current.EnumerateArray())
            {
                if (MatchesAny(element))
                {
                    return true;
                }
            }

            return false;
        }

        private bool MatchesAny(JsonElement value)
        {
            foreach (var alternative in alternatives)
            {
                if (alternative.Matches(value))
                {
                    return true;
                }
            }

            return false;
        }
    }

    private sealed record ValueMatcher(JsonValueKind Kind, string Operand, bool IsPrefix)
    {
        public static ValueMatcher Exact(JsonValueKind kind, string operand) => new(kind, operand, false);

        public static ValueMatcher Prefix(string operand) => new(JsonValueKind.String, operand, true);

        public bool Matches(JsonElement value)
        {
            if (value.ValueKind != Kind)
            {
                return false;
            }

            return Kind switch
            {
                JsonValueKind.String when IsPrefix => value.GetString()!.StartsWith(Operand, StringComparison.Ordinal),
                JsonValueKind.String => value.ValueEquals(Operand),
                JsonValueKind.Number => decimal.TryParse(value.GetRawText(), System.Globalization.NumberStyles.Float,
                                            System.Globalization.CultureInfo.InvariantCulture, out var actual)
                                        && decimal.TryParse(Operand, System.Globalization.NumberStyles.Float,
                                            System.Globalization.CultureInfo.InvariantCulture, out var expected)
                                        && actual == expected,
                _ => true, // true, false and null: the kind is the value
            };
        }
    }
}
