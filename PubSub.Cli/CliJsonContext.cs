using System.Text.Json.Serialization;
using PubSub.Provisioning;

namespace PubSub.Cli;

[JsonSourceGenerationOptions(WriteIndented = true, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ProvisionedResources))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
