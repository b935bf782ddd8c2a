using System.Globalization;
using System.Text.Json;

namespace PubSub.Routing.Patterns;

/// <summary>Turns an EventBridge event pattern into conjunctions of field conditions, refusing what
/// EventBridge refuses with a message that names the field and the problem. <c>$or</c> is expanded
/// here, so matching never has to think about it.</summary>
internal static class PatternCompiler
{
    /// <summary>An upper bound on the branches a pattern's <c>$or</c>s expand to.</summary>
    public const int MaxBranches = 1024;

    private static readonly HashSet<string> Operators =
        ["prefix", "suffix", "equals-ignore-case", "wildcard", "anything-but", "numeric", "exists", "cidr"];

    public static List<Conjunction> Compile(JsonElement pattern) =>
        [.. CompileBranches(pattern).Select(b => new Conjunction([.. b]))];

    /// <summary>The pattern's branches (one per <c>$or</c> combination), each with its field conditions
    /// in the order the pattern writes them; matching reorders them by cost, an explanation does not.</summary>
    public static List<List<FieldCondition>> CompileBranches(JsonElement pattern)
    {
        if (pattern.ValueKind != JsonValueKind.Object)
        {
            throw new EventPatternException("A pattern must be a JSON object.");
        }

        return CompileObject(pattern, []);
    }

    private static List<List<FieldCondition>> CompileObject(JsonElement pattern, string[] path)
    {
        List<List<FieldCondition>> branches = [[]];
        var any = false;
        foreach (var property in pattern.EnumerateObject())
        {
            any = true;
            string[] fieldPath = [.. path, property.Name];
            var value = property.Value;
            if (property.NameEquals("$or") && value.ValueKind == JsonValueKind.Array
                && value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.Object))
            {
                branches = Cross(branches, CompileOr(value, path));
                continue;
            }

            switch (value.ValueKind)
            {
                case JsonValueKind.Object:
                    branches = Cross(branches, CompileObject(value, fieldPath));
                    break;
                case JsonValueKind.Array:
                    var condition = CompileField(value, fieldPath);
                    foreach (var branch in branches)
                    {
                        Put(branch, condition);
                    }

                    break;
                default:
                    throw new EventPatternException(Operators.Contains(property.Name)
                        ? $"'{Describe(path)}' uses the operator '{property.Name}' outside an array; write [ {{ \"{property.Name}\": ... }} ]."
                        : $"The value of '{Describe(fieldPath)}' must be an array of match values or an object, not {Kind(value)}.");
            }
        }

        if (!any)
        {
            throw new EventPatternException(path.Length == 0
                ? "A pattern must contain at least one field to match."
                : $"'{Describe(path)}' is an empty object; give it at least one field to match.");
        }

        return branches;
    }

    private static List<List<FieldCondition>> CompileOr(JsonElement alternatives, string[] path)
    {
        if (alternatives.GetArrayLength() < 2)
        {
            throw new EventPatternException($"'$or' at {Describe(path)} needs at least two patterns to choose from.");
        }

        var branches = new List<List<FieldCondition>>();
        foreach (var alternative in alternatives.EnumerateArray())
        {
            if (TryGetOperatorName(alternative) is { } op)
            {
                throw new EventPatternException(
                    $"'$or' at {Describe(path)} holds the operator '{op}' where a field pattern belongs.");
            }

            branches.AddRange(CompileObject(alternative, path));
            CheckBranchCount(branches.Count, path);
        }

        return branches;
    }

    private static List<List<FieldCondition>> Cross(List<List<FieldCondition>> left, List<List<FieldCondition>> right)
    {
        if (right.Count == 1)
        {
            foreach (var branch in left)
            {
                PutAll(branch, right[0]);
            }

            return left;
        }

        CheckBranchCount((long)left.Count * right.Count, []);
        return [.. left.SelectMany(l => right.Select(r => PutAll([.. l], r)))];
    }

    /// <summary>Adds a field's condition to a branch, replacing one already there for the same field.
    /// event-ruler keeps each branch as a map from field to condition and writes fields in document
    /// order, so when a field appears both beside a <c>$or</c> and inside one of its branches, the later
    /// one holds for that branch (usually the branch's, as <c>$or</c> tends to come last).</summary>
    private static void Put(List<FieldCondition> branch, FieldCondition condition)
    {
        var existing = branch.FindIndex(c => c.Path.AsSpan().SequenceEqual(condition.Path));
        if (existing >= 0)
        {
            branch.RemoveAt(existing);
        }

        branch.Add(condition);
    }

    private static List<FieldCondition> PutAll(List<FieldCondition> branch, List<FieldCondition> conditions)
    {
        foreach (var condition in conditions)
        {
            Put(branch, condition);
        }

        return branch;
    }

    private static void CheckBranchCount(long count, string[] path)
    {
        if (count > MaxBranches)
        {
            throw new EventPatternException(
                $"The pattern's '$or' combinations{(path.Length > 0 ? $" at {Describe(path)}" : "")} expand to more than {MaxBranches} branches; simplify it.");
        }
    }

    private static FieldCondition CompileField(JsonElement values, string[] path)
    {
        if (values.GetArrayLength() == 0)
        {
            throw new EventPatternException($"'{Describe(path)}' has an empty array; empty arrays are not allowed.");
        }

        var alternatives = new List<ValueMatcher>();
        var allowAbsent = false;
        foreach (var value in values.EnumerateArray())
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.String:
                    alternatives.Add(new ExactStringMatcher(value.GetString()!));
                    break;
                case JsonValueKind.Number:
                    alternatives.Add(new ExactNumberMatcher(ReadNumber(value, path)));
                    break;
                case JsonValueKind.True:
                    alternatives.Add(new LiteralMatcher(LeafKind.True));
                    break;
                case JsonValueKind.False:
                    alternatives.Add(new LiteralMatcher(LeafKind.False));
                    break;
                case JsonValueKind.Null:
                    alternatives.Add(new LiteralMatcher(LeafKind.Null));
                    break;
                case JsonValueKind.Object:
                    var matcher = CompileOperator(value, path, out var absent);
                    allowAbsent |= absent;
                    if (matcher is not null)
                    {
                        alternatives.Add(matcher);
                    }

                    break;
                default:
                    throw new EventPatternException($"'{Describe(path)}' contains a nested array, which patterns do not allow.");
            }
        }

        return new FieldCondition(path, [.. alternatives], allowAbsent) { Source = values.GetRawText() };
    }

    private static ValueMatcher? CompileOperator(JsonElement operatorObject, string[] path, out bool allowAbsent)
    {
        allowAbsent = false;
        using var properties = operatorObject.EnumerateObject();
        if (!properties.MoveNext())
        {
            throw new EventPatternException($"'{Describe(path)}' contains an empty object where a match value belongs.");
        }

        var op = properties.Current;
        if (properties.MoveNext())
        {
            throw new EventPatternException(
                $"'{Describe(path)}' has a match object with more than one key ('{op.Name}', '{properties.Current.Name}'); use one operator per object.");
        }

        var operand = op.Value;
        switch (op.Name)
        {
            case "prefix":
                return CompileAffix(operand, path, "prefix",
                    s => new PrefixMatcher(s), s => new PrefixIgnoreCaseMatcher(s));
            case "suffix":
                return CompileAffix(operand, path, "suffix",
                    s => new SuffixMatcher(s), s => new SuffixIgnoreCaseMatcher(s));
            case "equals-ignore-case":
                return new EqualsIgnoreCaseMatcher(RequireString(operand, path, "equals-ignore-case"));
            case "wildcard":
                return CompileWildcard(RequireString(operand, path, "wildcard"), path);
            case "anything-but":
                return CompileAnythingBut(operand, path);
            case "numeric":
                return CompileNumeric(operand, path);
            case "exists":
                if (operand.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                {
                    throw new EventPatternException($"'exists' at '{Describe(path)}' must be true or false.");
                }

                allowAbsent = operand.ValueKind == JsonValueKind.False;
                return allowAbsent ? null : ExistsMatcher.Instance;
            case "cidr":
                var block = RequireString(operand, path, "cidr");
                return CidrMatcher.TryCreate(block, out var problem)
                       ?? throw new EventPatternException($"'cidr' at '{Describe(path)}' is not a valid IPv4 or IPv6 CIDR block: \"{block}\": {problem}.");
            default:
                throw new EventPatternException($"Unrecognized match type '{op.Name}' at '{Describe(path)}'.");
        }
    }

    private static ValueMatcher CompileAffix(JsonElement operand, string[] path, string name,
        Func<string, ValueMatcher> exact, Func<string, ValueMatcher> ignoreCase)
    {
        if (operand.ValueKind == JsonValueKind.String)
        {
            return exact(operand.GetString()!);
        }

        if (operand.ValueKind == JsonValueKind.Object && SingleProperty(operand) is { } inner
            && inner.NameEquals("equals-ignore-case"))
        {
            return ignoreCase(RequireString(inner.Value, path, $"{name} equals-ignore-case"));
        }

        throw new EventPatternException(
            $"'{name}' at '{Describe(path)}' needs a string or {{\"equals-ignore-case\": string}}, not {Kind(operand)}.");
    }

    private static WildcardMatcher CompileWildcard(string operand, string[] path) =>
        WildcardMatcher.TryCreate(operand, out var problem)
        ?? throw new EventPatternException($"'wildcard' at '{Describe(path)}' is invalid: {problem}.");

    private static AnythingButMatcher CompileAnythingBut(JsonElement operand, string[] path)
    {
        switch (operand.ValueKind)
        {
            case JsonValueKind.String:
                return new AnythingButMatcher([new ExactStringMatcher(operand.GetString()!)]);
            case JsonValueKind.Number:
                return new AnythingButMatcher([new ExactNumberMatcher(ReadNumber(operand, path))]);
            case JsonValueKind.Array:
                return new AnythingButMatcher(CompileAnythingButList(operand, path));
            case JsonValueKind.Object:
                var inner = SingleProperty(operand) ?? throw new EventPatternException(
                    $"'anything-but' at '{Describe(path)}' needs exactly one of prefix, suffix, equals-ignore-case or wildcard.");
                return inner.Name switch
                {
                    "prefix" => new AnythingButMatcher([new PrefixMatcher(RequireNonEmpty(inner.Value, path, "anything-but prefix"))]),
                    "suffix" => new AnythingButMatcher([new SuffixMatcher(RequireNonEmpty(inner.Value, path, "anything-but suffix"))]),
                    "equals-ignore-case" => new AnythingButMatcher(
                        [.. StringOrStrings(inner.Value, path, "anything-but equals-ignore-case").Select(s => new EqualsIgnoreCaseMatcher(s))]),
                    "wildcard" => new AnythingButMatcher(
                        [.. StringOrStrings(inner.Value, path, "anything-but wildcard").Select(s => CompileWildcard(s, path))]),
                    _ => throw new EventPatternException(
                        $"'anything-but' at '{Describe(path)}' does not support '{inner.Name}'; use prefix, suffix, equals-ignore-case or wildcard."),
                };
            default:
                throw new EventPatternException(
                    $"'anything-but' at '{Describe(path)}' needs a string, a number, a list of either, or an object, not {Kind(operand)}.");
        }
    }

    private static ValueMatcher[] CompileAnythingButList(JsonElement list, string[] path)
    {
        if (list.GetArrayLength() == 0)
        {
            throw new EventPatternException($"'anything-but' at '{Describe(path)}' has an empty list.");
        }

        var kind = list[0].ValueKind;
        var matchers = new List<ValueMatcher>();
        foreach (var item in list.EnumerateArray())
        {
            if (item.ValueKind is not (JsonValueKind.String or JsonValueKind.Number) || item.ValueKind != kind)
            {
                throw new EventPatternException(
                    $"The 'anything-but' list at '{Describe(path)}' must hold only strings or only numbers.");
            }

            matchers.Add(kind == JsonValueKind.String
                ? new ExactStringMatcher(item.GetString()!)
                : new ExactNumberMatcher(ReadNumber(item, path)));
        }

        return [.. matchers];
    }

    private static NumericMatcher CompileNumeric(JsonElement operand, string[] path)
    {
        var where = $"'numeric' at '{Describe(path)}'";
        if (operand.ValueKind != JsonValueKind.Array || operand.GetArrayLength() is not (2 or 4))
        {
            throw new EventPatternException($"{where} needs [operator, number] or [lower operator, number, upper operator, number].");
        }

        var first = ReadComparison(operand[0], operand[1], path, where);
        if (operand.GetArrayLength() == 2)
        {
            return first.Op switch
            {
                "=" => new NumericMatcher(first.Value, true, first.Value, true),
                ">" or ">=" => new NumericMatcher(first.Value, first.Op == ">=", null, false),
                _ => new NumericMatcher(null, false, first.Value, first.Op == "<="),
            };
        }

        var second = ReadComparison(operand[2], operand[3], path, where);
        if (first.Op is not (">" or ">=") || second.Op is not ("<" or "<="))
        {
            throw new EventPatternException($"{where}: a range is a lower bound ('>' or '>=') followed by an upper bound ('<' or '<=').");
        }

        if (first.Value >= second.Value)
        {
            throw new EventPatternException($"{where}: the lower bound {Format(first.Value)} must be less than the upper bound {Format(second.Value)}.");
        }

        return new NumericMatcher(first.Value, first.Op == ">=", second.Value, second.Op == "<=");
    }

    private static (string Op, double Value) ReadComparison(JsonElement op, JsonElement number, string[] path, string where)
    {
        if (op.ValueKind != JsonValueKind.String || op.GetString() is not ("=" or "<" or "<=" or ">" or ">=") )
        {
            throw new EventPatternException($"{where}: unknown operator {op.GetRawText()}; use =, <, <=, > or >=.");
        }

        if (number.ValueKind != JsonValueKind.Number)
        {
            throw new EventPatternException($"{where}: {op.GetString()} must be followed by a number, not {Kind(number)}.");
        }

        return (op.GetString()!, ReadNumber(number, path));
    }

    private static double ReadNumber(JsonElement number, string[] path) =>
        number.TryGetDouble(out var value) && double.IsFinite(value)
            ? value
            : throw new EventPatternException($"The number {number.GetRawText()} at '{Describe(path)}' is out of range.");

    private static string RequireString(JsonElement operand, string[] path, string name) =>
        operand.ValueKind == JsonValueKind.String
            ? operand.GetString()!
            : throw new EventPatternException($"'{name}' at '{Describe(path)}' needs a string, not {Kind(operand)}.");

    private static string RequireNonEmpty(JsonElement operand, string[] path, string name)
    {
        var value = RequireString(operand, path, name);
        return value.Length > 0 ? value : throw new EventPatternException($"'{name}' at '{Describe(path)}' must not be empty.");
    }

    private static IEnumerable<string> StringOrStrings(JsonElement operand, string[] path, string name)
    {
        if (operand.ValueKind == JsonValueKind.String)
        {
            return [operand.GetString()!];
        }

        if (operand.ValueKind == JsonValueKind.Array && operand.GetArrayLength() > 0
            && operand.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String))
        {
            return [.. operand.EnumerateArray().Select(e => e.GetString()!)];
        }

        throw new EventPatternException($"'{name}' at '{Describe(path)}' needs a string or a non-empty list of strings.");
    }

    private static JsonProperty? SingleProperty(JsonElement element)
    {
        using var properties = element.EnumerateObject();
        if (!properties.MoveNext())
        {
            return null;
        }

        var first = properties.Current;
        return properties.MoveNext() ? null : first;
    }

    private static string? TryGetOperatorName(JsonElement element)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var property in element.EnumerateObject())
        {
            if (Operators.Contains(property.Name))
            {
                return property.Name;
            }
        }

        return null;
    }

    private static string Kind(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        JsonValueKind.Array => "an array",
        _ => "an object",
    };

    private static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    public static string Describe(string[] path) => path.Length == 0 ? "(root)" : string.Join('.', path);
}
