namespace PubSub.WebhookDemo.Receiving;

/// <summary>One delivery as <c>GET /received</c> lists it: never the body, only its size.</summary>
/// <param name="Result"><c>verified</c>, <c>duplicate</c> (verified, id seen before), <c>answered-STATUS</c> (verified, answered
/// with the outage's status, not handled) or the refusal's reason code.</param>
/// <param name="Scheme"><c>v1</c> or <c>v1a</c> when verified.</param>
public sealed record ReceivedWebhook(string? Id, string Result, string? Scheme, int Bytes, DateTimeOffset ReceivedAt, string Reason);
