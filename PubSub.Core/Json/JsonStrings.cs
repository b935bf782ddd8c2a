using System.Text.Json.Serialization;

namespace PubSub.Json;

/// <summary>Source-generated JSON for plain strings (escaping and unescaping single values).</summary>
[JsonSerializable(typeof(string))]
public sealed partial class JsonStrings : JsonSerializerContext;
