using System.Text.Json.Serialization;

namespace PubSub.Ingestion.Core.Parsing;

[JsonSerializable(typeof(string))]
internal sealed partial class ParsingJsonContext : JsonSerializerContext;
