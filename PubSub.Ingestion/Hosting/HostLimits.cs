using System.Globalization;

namespace PubSub.Ingestion.Hosting;

/// <summary>What one publisher may hold of this host: requests at once, and how long a request may take
/// to arrive. API Gateway and Lambda bound these in AWS; here Kestrel and this host do. The body limit
/// is the batch limit (1 MiB), not a setting.</summary>
public sealed record HostLimits
{
    public const string Section = "IngestionHost";

    /// <summary>Requests of one publisher handled at once; more get 429.</summary>
    public int RequestsInFlightPerPublisher { get; init; } = 64;

    /// <summary>Time to receive a request's body once its headers are in; a slower upload gets 408.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Time to receive the request line and headers (Kestrel closes the connection).</summary>
    public TimeSpan RequestHeadersTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>The slowest body Kestrel keeps receiving, after a 5 s grace period.</summary>
    public double MinRequestBodyBytesPerSecond { get; init; } = 1024;

    /// <summary><c>IngestionHost:RequestsInFlightPerPublisher</c>, <c>IngestionHost:RequestTimeoutSeconds</c>,
    /// <c>IngestionHost:RequestHeadersTimeoutSeconds</c>, <c>IngestionHost:MinRequestBodyBytesPerSecond</c>.</summary>
    /// <exception cref="InvalidOperationException">A setting is not a positive number.</exception>
    public static HostLimits From(IConfiguration configuration)
    {
        var section = configuration.GetSection(Section);
        var defaults = new HostLimits();
        return new HostLimits
        {
            RequestsInFlightPerPublisher = (int)Read(section, nameof(RequestsInFlightPerPublisher), defaults.RequestsInFlightPerPublisher),
            RequestTimeout = TimeSpan.FromSeconds(Read(section, "RequestTimeoutSeconds", defaults.RequestTimeout.TotalSeconds)),
            RequestHeadersTimeout = TimeSpan.FromSeconds(Read(section, "RequestHeadersTimeoutSeconds", defaults.RequestHeadersTimeout.TotalSeconds)),
            MinRequestBodyBytesPerSecond = Read(section, nameof(MinRequestBodyBytesPerSecond), defaults.MinRequestBodyBytesPerSecond),
        };
    }

    private static double Read(IConfigurationSection section, string name, double fallback)
    {
        if (section[name] is not { Length: > 0 } text)
        {
            return fallback;
        }

        return double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0
            ? value
            : throw new InvalidOperationException($"{Section}:{name} must be a positive number; it is '{text}'.");
    }
}
