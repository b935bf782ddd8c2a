namespace PubSub.Operations;

/// <summary>A webhook subscription's secret could not be read to mark a redelivery (<see cref="WebhookSeriesMarker"/>):
/// the event stays where it was.</summary>
public sealed class WebhookSecretUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
