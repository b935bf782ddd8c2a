using System.Text.Json;
using System.Text.Json.Serialization;

namespace PubSub.WebhookDemo.Receiving;

/// <summary><c>GET /received</c>'s JSON, generated at build time.</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(ReceivedList))]
[JsonSerializable(typeof(OutageRequest))]
[JsonSerializable(typeof(Outage))]
internal sealed partial class ReceiverJsonContext : JsonSerializerContext;

/// <summary><c>{"received":[…]}</c>, newest first.</summary>
public sealed record ReceivedList(IReadOnlyList<ReceivedWebhook> Received);
