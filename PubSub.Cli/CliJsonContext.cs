using System.Text.Json.Serialization;
using PubSub.Provisioning;

namespace PubSub.Cli;

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(ProvisionedResources))]
[JsonSerializable(typeof(Commands.ScanReport))]
[JsonSerializable(typeof(Commands.PatternTestReport))]
[JsonSerializable(typeof(Commands.RoutesTestReport))]
[JsonSerializable(typeof(Commands.CasesReport))]
[JsonSerializable(typeof(List<PubSub.Operations.DeadLetterQueueStatus>))]
[JsonSerializable(typeof(List<PubSub.Operations.DeadLetterEntry>))]
[JsonSerializable(typeof(PubSub.Operations.ReplayReport))]
[JsonSerializable(typeof(List<Commands.PublisherRow>))]
[JsonSerializable(typeof(Commands.EventReport))]
[JsonSerializable(typeof(PubSub.Operations.EventReplayReport))]
[JsonSerializable(typeof(List<Commands.TopicRow>))]
[JsonSerializable(typeof(Commands.SendReport))]
[JsonSerializable(typeof(List<Commands.SubscriptionRow>))]
[JsonSerializable(typeof(Commands.SubscriptionRow))]
[JsonSerializable(typeof(Commands.LintReport))]
[JsonSerializable(typeof(Cost.CostEstimate))]
[JsonSerializable(typeof(Commands.WebhookAdded))]
[JsonSerializable(typeof(Commands.WebhookList))]
[JsonSerializable(typeof(Commands.WebhookAttempts))]
[JsonSerializable(typeof(Commands.WebhookResent))]
[JsonSerializable(typeof(PubSub.Operations.WebhookRecoverReport))]
[JsonSerializable(typeof(string))]
internal sealed partial class CliJsonContext : JsonSerializerContext;
