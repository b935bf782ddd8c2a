using System.Text.Json.Nodes;

namespace PubSub.CloudFormation.Generation;

/// <summary>CloudFormation's intrinsic functions as JSON nodes.</summary>
internal static class Fn
{
    public static JsonObject Ref(string name) => new() { ["Ref"] = name };

    public static JsonObject GetAtt(string resource, string attribute) => new() { ["Fn::GetAtt"] = new JsonArray(resource, attribute) };

    public static JsonObject Sub(string text) => new() { ["Fn::Sub"] = text };

    public static JsonObject If(string condition, JsonNode? whenTrue, JsonNode? whenFalse) =>
        new() { ["Fn::If"] = new JsonArray(condition, whenTrue, whenFalse) };

    public static JsonObject NoValue => Ref("AWS::NoValue");

    public static JsonObject Equals(JsonNode? a, JsonNode? b) => new() { ["Fn::Equals"] = new JsonArray(a, b) };

    public static JsonObject Not(JsonNode condition) => new() { ["Fn::Not"] = new JsonArray(condition) };

    public static JsonArray List(params JsonNode?[] items) => new(items);

    public static JsonArray Strings(IEnumerable<string> items) => new([.. items.Select(i => (JsonNode?)JsonValue.Create(i))]);

    /// <summary>An IAM policy statement.</summary>
    public static JsonObject Allow(IEnumerable<string> actions, params JsonNode?[] resources) => new()
    {
        ["Effect"] = "Allow",
        ["Action"] = Strings(actions),
        ["Resource"] = new JsonArray(resources),
    };

    public static JsonObject PolicyDocument(params JsonNode?[] statements) => new()
    {
        ["Version"] = "2012-10-17",
        ["Statement"] = new JsonArray(statements),
    };
}
