namespace PubSub.Webhooks.Delivery;

/// <summary>How the guarded sender is set up for this process.</summary>
/// <param name="LocalMode">Local runs only: allows <c>http://</c> to loopback and https to loopback. Never in AWS.</param>
/// <param name="UserAgent">Sent with every delivery.</param>
public sealed record GuardedSenderOptions(bool LocalMode = false, string UserAgent = "pubsub-webhooks/1.0");
