using System.Text.Json;

namespace PubSub.Ingestion.Core.Alerts;

/// <summary>What operators hear about sensitive data: who sent it, which event, which detectors and
/// where; never the values. Subscribers of the alerts topic receive it as JSON. Its size is bounded
/// (<see cref="Of"/>): a hostile event with thousands of findings still makes one small alert.</summary>
/// <param name="PathsOmitted">Distinct paths left out to keep the alert small.</param>
public sealed record SensitiveDataAlert(
    string Publisher,
    string EventId,
    string EventType,
    string Policy,
    IReadOnlyDictionary<string, int> Detectors,
    IReadOnlyList<string> Paths,
    DateTimeOffset At,
    int PathsOmitted = 0)
{
    /// <summary>At most this many paths in one alert.</summary>
    public const int MaxPaths = 20;

    /// <summary>The paths' share of an alert, in bytes of JSON (the rest, ids and counts, is bounded by the
    /// attribute limits), so that an alert stays well within 8 KiB.</summary>
    public const int MaxPathBytes = 4096;

    /// <summary>Tells this alert from others on the alerts topic.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "An instance member so that it is serialised with the alert.")]
    public string Kind => "sensitive-data";

    /// <summary>An alert with the first paths that fit (<see cref="MaxPaths"/>, <see cref="MaxPathBytes"/>)
    /// and the count of those left out.</summary>
    public static SensitiveDataAlert Of(string publisher, string eventId, string eventType, string policy,
        IReadOnlyDictionary<string, int> detectors, IEnumerable<string> paths, DateTimeOffset at)
    {
        var distinct = paths.Distinct(StringComparer.Ordinal).ToList();
        var kept = new List<string>(Math.Min(distinct.Count, MaxPaths));
        var bytes = 0;
        foreach (var path in distinct)
        {
            var size = JsonEncodedText.Encode(path).EncodedUtf8Bytes.Length + 3; // as serialised: quotes and comma
            if (kept.Count == MaxPaths || bytes + size > MaxPathBytes)
            {
                break;
            }

            kept.Add(path);
            bytes += size;
        }

        return new SensitiveDataAlert(publisher, eventId, eventType, policy, detectors, kept, at, distinct.Count - kept.Count);
    }
}

/// <summary>Takes alerts without waiting: publishing them must never slow down or fail a request.</summary>
public interface IAlertSink
{
    void Raise(SensitiveDataAlert alert);
}
