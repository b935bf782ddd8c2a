using System.Globalization;

namespace PubSub.Cli.Cost;

/// <summary>What <c>pubsub cost</c> is asked about: a steady rate of events of one size, sent one per request or in
/// batches, each delivered to every subscriber of its topic.</summary>
/// <param name="Webhooks">Webhook subscriptions of the events' topic (each takes every event).</param>
/// <param name="WebhookAttempts">Attempts per webhook delivery on average: 1 when every first attempt succeeds.</param>
internal sealed record Workload(double EventsPerSecond, int BatchSize = 1, double PayloadKiB = 1, int Subscribers = 1,
    string Region = "us-east-1", string Architecture = "arm64", int MemoryMb = StackProfile.DefaultMemoryMb, int Webhooks = 0,
    double WebhookAttempts = 1)
{
    public const double MaxEventsPerSecond = 100_000;
    public const int MaxSubscribers = 1_000;

    public int PayloadBytes => (int)Math.Ceiling(PayloadKiB * 1024);

    /// <summary>Why this workload cannot be estimated, in words a user acts on; null when it can.</summary>
    public string? Problem()
    {
        if (!(EventsPerSecond > 0) || EventsPerSecond > MaxEventsPerSecond)
        {
            return $"--events-per-second must be above 0 and at most {MaxEventsPerSecond.ToString("N0", CultureInfo.InvariantCulture)}, not {Text(EventsPerSecond)}.";
        }

        if (BatchSize is < 1 or > StackProfile.MaxBatchSize)
        {
            return $"--batch-size must be 1 (one event per request) to {StackProfile.MaxBatchSize} (the API's batch limit), not {BatchSize}.";
        }

        if (!(PayloadKiB > 0) || PayloadKiB > 256)
        {
            return $"--payload-kib must be above 0 and at most 256 (the API's event limit), not {Text(PayloadKiB)}.";
        }

        if (PayloadBytes + StackProfile.EventJsonOverheadBytes + StackProfile.SnsAttributeBytes > StackProfile.SnsMaxBytes)
        {
            return $"An event of {Text(PayloadKiB)} KiB would not fit SNS's 256 KiB with its attributes: the API refuses it (413).";
        }

        if (BatchSize > 1 && BatchSize * (long)(PayloadBytes + StackProfile.EventJsonOverheadBytes) > StackProfile.MaxRequestBytes)
        {
            return $"A batch of {BatchSize} events of {Text(PayloadKiB)} KiB exceeds the API's 1 MiB per request: use a smaller --batch-size.";
        }

        if (Subscribers is < 0 or > MaxSubscribers)
        {
            return $"--subscribers must be 0 to {MaxSubscribers}, not {Subscribers}.";
        }

        if (Webhooks is < 0 or > MaxSubscribers)
        {
            return $"--webhooks must be 0 to {MaxSubscribers}, not {Webhooks}.";
        }

        if (!(WebhookAttempts >= 1) || WebhookAttempts > StackProfile.WebhookMaxAttempts)
        {
            return $"--webhook-attempts must be 1 (every first attempt delivers) to {StackProfile.WebhookMaxAttempts} (the retry schedule's), not {Text(WebhookAttempts)}.";
        }

        if (Architecture is not ("arm64" or "x86_64"))
        {
            return $"--architecture must be arm64 or x86_64, not '{Architecture}'.";
        }

        if (MemoryMb is < 128 or > 10_240)
        {
            return $"--memory-mb must be 128 to 10240 (Lambda's range), not {MemoryMb}.";
        }

        return PriceList.ByRegion.ContainsKey(Region)
            ? null
            : $"No confirmed prices for region '{Region}': only {string.Join(", ", PriceList.ByRegion.Keys)} (prices differ by region and are never guessed).";
    }

    private static string Text(double value) => value.ToString(CultureInfo.InvariantCulture);
}
