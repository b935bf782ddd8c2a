using System.Text.Json.Serialization;
using PubSub.Provisioning;

namespace PubSub.Cli;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ProvisionedResources))]
[JsonSerializable(typeof(Commands.ScanReport))]
[JsonSerializable(typeof(Commands.PatternTestReport))]
[JsonSerializable(typeof(Commands.RoutesTestReport))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
