using System.Text.Json;

namespace PubSub.Definition;

/// <summary>Reads a system definition file and refuses it, listing every problem, unless it is usable.</summary>
public static class SystemDefinitionLoader
{
    /// <summary>The file name looked for when no path is given.</summary>
    public const string DefaultFileName = "pubsub.json";

    public static SystemDefinition Load(string path)
    {
        string json;
        try
        {
            json = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new SystemDefinitionException(path, [$"cannot be read: {e.Message}"]);
        }

        return Parse(json, path);
    }

    public static SystemDefinition Parse(string json, string source = "(text)")
    {
        SystemDefinition? definition;
        try
        {
            definition = JsonSerializer.Deserialize(json, DefinitionJsonContext.Default.SystemDefinition);
        }
        catch (JsonException e)
        {
            var where = e.Path is null ? "" : $" at {e.Path}";
            throw new SystemDefinitionException(source, [$"not a valid definition{where}: {e.Message}"]);
        }

        if (definition is null)
        {
            throw new SystemDefinitionException(source, ["the file holds null"]);
        }

        // The JSON source generator sets every init-only member, so an absent list arrives as null.
        definition = definition with
        {
            Topics = definition.Topics ?? [],
            Routes = definition.Routes ?? [],
            Publishers = definition.Publishers ?? [],
            Subscriptions = definition.Subscriptions ?? [],
            SensitiveData = definition.SensitiveData ?? new SensitiveDataSettings(),
            Schemas = definition.Schemas ?? [],
        };

        var errors = SystemDefinitionValidator.Validate(definition);
        return errors.Count == 0 ? definition : throw new SystemDefinitionException(source, errors);
    }

    /// <summary>Finds <see cref="DefaultFileName"/> in <paramref name="directory"/> or the nearest parent.</summary>
    public static string? Find(string directory)
    {
        for (var current = new DirectoryInfo(directory); current is not null; current = current.Parent)
        {
            var candidate = Path.Combine(current.FullName, DefaultFileName);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    public static string Serialize(SystemDefinition definition) =>
        JsonSerializer.Serialize(definition, DefinitionJsonContext.Default.SystemDefinition);
}
