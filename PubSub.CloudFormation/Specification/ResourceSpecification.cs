using System.IO.Compression;
using System.Text.Json;

namespace PubSub.CloudFormation.Specification;

/// <summary>The CloudFormation resource specification as the AWS CDK ships it (npm
/// <c>@aws-cdk/aws-service-spec</c>, <c>db.json.gz</c>): every resource type with its properties, their
/// types and whether they are required, and its attributes.</summary>
public sealed class ResourceSpecification
{
    private ResourceSpecification(IReadOnlyDictionary<string, ResourceTypeSpec> resourceTypes, IReadOnlyDictionary<string, ObjectTypeSpec> objectTypes)
    {
        ResourceTypes = resourceTypes;
        ObjectTypes = objectTypes;
    }

    public IReadOnlyDictionary<string, ResourceTypeSpec> ResourceTypes { get; }

    public IReadOnlyDictionary<string, ObjectTypeSpec> ObjectTypes { get; }

    /// <exception cref="InvalidDataException">The file is not the specification database.</exception>
    public static ResourceSpecification Load(string path)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var document = JsonDocument.Parse(gzip);
        return Read(document.RootElement);
    }

    internal static ResourceSpecification Read(JsonElement root)
    {
        if (!root.TryGetProperty("schema", out var schema)
            || !schema.TryGetProperty("resource", out var resources)
            || !schema.TryGetProperty("typeDefinition", out var types))
        {
            throw new InvalidDataException("This is not the @aws-cdk/aws-service-spec database (no schema.resource and schema.typeDefinition).");
        }

        var objectTypes = new Dictionary<string, ObjectTypeSpec>(StringComparer.Ordinal);
        foreach (var type in types.GetProperty("entities").EnumerateArray())
        {
            objectTypes[type.GetProperty("$id").GetString()!] = new ObjectTypeSpec(
                type.GetProperty("name").GetString()!, ReadProperties(type));
        }

        var resourceTypes = new Dictionary<string, ResourceTypeSpec>(StringComparer.Ordinal);
        foreach (var resource in resources.GetProperty("entities").EnumerateArray())
        {
            var name = resource.GetProperty("cloudFormationType").GetString()!;
            var attributes = resource.TryGetProperty("attributes", out var a)
                ? a.EnumerateObject().Select(p => p.Name).ToHashSet(StringComparer.Ordinal)
                : [];
            resourceTypes[name] = new ResourceTypeSpec(name, ReadProperties(resource), attributes);
        }

        return new ResourceSpecification(resourceTypes, objectTypes);
    }

    private static Dictionary<string, PropertySpec> ReadProperties(JsonElement owner)
    {
        var properties = new Dictionary<string, PropertySpec>(StringComparer.Ordinal);
        if (!owner.TryGetProperty("properties", out var list))
        {
            return properties;
        }

        foreach (var property in list.EnumerateObject())
        {
            var required = property.Value.TryGetProperty("required", out var r) && r.ValueKind == JsonValueKind.True;
            var previous = property.Value.TryGetProperty("previousTypes", out var p)
                ? p.EnumerateArray().Select(ReadType).ToList()
                : [];
            properties[property.Name] = new PropertySpec(ReadType(property.Value.GetProperty("type")), required, previous);
        }

        return properties;
    }

    private static TypeSpec ReadType(JsonElement type) => type.GetProperty("type").GetString() switch
    {
        "string" => TypeSpec.String,
        "integer" => new TypeSpec(TypeKind.Integer),
        "number" => new TypeSpec(TypeKind.Number),
        "boolean" => new TypeSpec(TypeKind.Boolean),
        "date-time" => new TypeSpec(TypeKind.DateTime),
        "json" => TypeSpec.Json,
        "tag" => new TypeSpec(TypeKind.Tag),
        "array" => new TypeSpec(TypeKind.Array, ReadType(type.GetProperty("element"))),
        "map" => new TypeSpec(TypeKind.Map, ReadType(type.GetProperty("element"))),
        "ref" => new TypeSpec(TypeKind.Object, ObjectId: type.GetProperty("reference").GetProperty("$ref").GetString()),
        "union" => new TypeSpec(TypeKind.Union, Members: [.. type.GetProperty("types").EnumerateArray().Select(ReadType)]),
        var other => throw new InvalidDataException($"Unknown property type '{other}' in the specification."),
    };
}
