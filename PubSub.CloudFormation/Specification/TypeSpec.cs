namespace PubSub.CloudFormation.Specification;

#pragma warning disable CA1720 // The names are the specification's own type names.

/// <summary>The kinds of value a property can take in the resource specification.</summary>
public enum TypeKind
{
    String,
    Integer,
    Number,
    Boolean,
    DateTime,
    Json,
    Tag,
    Array,
    Map,
    Object,
    Union,
}

/// <summary>A property's value type: a primitive, a list or map of another type, a named object type
/// (<see cref="ObjectId"/> into <see cref="ResourceSpecification.ObjectTypes"/>), or one of several.</summary>
public sealed record TypeSpec(TypeKind Kind, TypeSpec? Element = null, string? ObjectId = null, IReadOnlyList<TypeSpec>? Members = null)
{
    public static readonly TypeSpec String = new(TypeKind.String);
    public static readonly TypeSpec Json = new(TypeKind.Json);
}

/// <param name="PreviousTypes">Types the property had before; templates written then are still accepted.</param>
public sealed record PropertySpec(TypeSpec Type, bool Required, IReadOnlyList<TypeSpec> PreviousTypes);

/// <summary>A named object type (a property's structure) and its properties.</summary>
public sealed record ObjectTypeSpec(string Name, IReadOnlyDictionary<string, PropertySpec> Properties);

/// <summary>One resource type: its properties and the attributes <c>Fn::GetAtt</c> can read.</summary>
public sealed record ResourceTypeSpec(string Type, IReadOnlyDictionary<string, PropertySpec> Properties, IReadOnlySet<string> Attributes);
