using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace PubSub.CloudFormation.Linting;

/// <summary>A YAML template as the JSON template CloudFormation reads from it: the short forms of the
/// intrinsic functions (<c>!Ref</c>, <c>!GetAtt A.B</c>, <c>!Sub</c>, <c>!If</c>, ..., <c>!Condition</c>)
/// become their full forms, plain scalars their YAML 1.1 types (CloudFormation's YAML), keys strings.</summary>
internal static partial class YamlTemplate
{
    /// <summary>The short forms that are not simply "!Name" for "Fn::Name".</summary>
    private static readonly Dictionary<string, string> FullNames = new(StringComparer.Ordinal)
    {
        ["!Ref"] = "Ref",
        ["!Condition"] = "Condition",
    };

    [GeneratedRegex(@"^[-+]?(0|[1-9][0-9_]*)$")]
    private static partial Regex Integer();

    [GeneratedRegex(@"^[-+]?([0-9][0-9_]*)?\.[0-9]+([eE][-+]?[0-9]+)?$|^[-+]?[0-9][0-9_]*[eE][-+]?[0-9]+$")]
    private static partial Regex Float();

    /// <summary>The most nodes a template may expand to. Aliases are references, so a small file of nested
    /// aliases ("billion laughs") would expand to more nodes than memory holds; CloudFormation takes at most
    /// 1 MB of template, far below this.</summary>
    public const int MaxNodes = 1_000_000;

    /// <exception cref="YamlException">Not YAML, more than one document, or more than <see cref="MaxNodes"/> nodes
    /// once aliases are expanded.</exception>
    public static JsonNode? Parse(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return stream.Documents.Count switch
        {
            0 => null,
            1 => Convert(stream.Documents[0].RootNode, new NodeBudget()),
            _ => throw new YamlException("A template is one YAML document; this text has " + stream.Documents.Count.ToString(CultureInfo.InvariantCulture) + "."),
        };
    }

    private static JsonNode? Convert(YamlNode node, NodeBudget budget)
    {
        if (--budget.Left < 0)
        {
            throw new YamlException(node.Start, node.End, $"The template expands to more than {MaxNodes:N0} nodes (nested aliases?).");
        }

        var value = node switch
        {
            YamlMappingNode mapping => Mapping(mapping, budget),
            YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(child => Convert(child, budget))]),
            YamlScalarNode scalar => Scalar(scalar),
            _ => throw new YamlException(node.Start, node.End, $"Unexpected YAML node {node.NodeType}."),
        };
        return node.Tag.IsEmpty || node.Tag.IsNonSpecific || node.Tag.Value.StartsWith("tag:yaml.org,2002:", StringComparison.Ordinal)
            ? value
            : ShortForm(node, value);
    }

    private static JsonObject Mapping(YamlMappingNode mapping, NodeBudget budget)
    {
        var result = new JsonObject();
        foreach (var (key, value) in mapping.Children)
        {
            var name = key is YamlScalarNode { Value: { } text } ? text : throw new YamlException(key.Start, key.End, "A key must be a plain value.");
            if (!result.TryAdd(name, Convert(value, budget)))
            {
                throw new YamlException(key.Start, key.End, $"Duplicate key '{name}'.");
            }
        }

        return result;
    }

    private static JsonNode? Scalar(YamlScalarNode scalar)
    {
        var text = scalar.Value ?? "";
        if (scalar.Style != ScalarStyle.Plain || !scalar.Tag.IsEmpty)
        {
            return (scalar.Tag.IsEmpty ? "" : scalar.Tag.Value) switch
            {
                "tag:yaml.org,2002:int" when long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var i) => i,
                "tag:yaml.org,2002:bool" => text is "true" or "True" or "TRUE",
                _ => text,
            };
        }

        return text switch
        {
            "" or "~" or "null" or "Null" or "NULL" => null,
            "true" or "True" or "TRUE" => true,
            "false" or "False" or "FALSE" => false,
            _ when Integer().IsMatch(text) && long.TryParse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var i) => i,
            _ when Float().IsMatch(text) && double.TryParse(text.Replace("_", "", StringComparison.Ordinal), NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && double.IsFinite(d) => d, // 1e400 stays text: JSON has no infinity
            _ => text,
        };
    }

    /// <summary><c>!Name value</c> as <c>{"Fn::Name": value}</c>; <c>!GetAtt A.B.C</c> as <c>["A", "B.C"]</c>.</summary>
    private static JsonObject ShortForm(YamlNode node, JsonNode? value)
    {
        var tag = node.Tag.Value;
        if (!tag.StartsWith('!') || tag.Length < 2)
        {
            throw new YamlException(node.Start, node.End, $"Unknown tag '{tag}'.");
        }

        var name = FullNames.TryGetValue(tag, out var full) ? full : "Fn::" + tag[1..];
        if (name == "Fn::GetAtt" && node is YamlScalarNode { Value: { } dotted } && dotted.IndexOf('.', StringComparison.Ordinal) is var dot and > 0)
        {
            value = new JsonArray(dotted[..dot], dotted[(dot + 1)..]);
        }

        return new JsonObject { [name] = value };
    }

    private sealed class NodeBudget
    {
        public int Left = MaxNodes;
    }
}
