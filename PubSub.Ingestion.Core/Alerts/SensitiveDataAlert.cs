namespace PubSub.Ingestion.Core.Alerts;

/// <summary>What operators hear about sensitive data: who sent it, which event, which detectors and
/// where; never the values. Subscribers of the alerts topic receive it as JSON.</summary>
public sealed record SensitiveDataAlert(
    string Publisher,
    string EventId,
    string EventType,
    string Policy,
    IReadOnlyDictionary<string, int> Detectors,
    IReadOnlyList<string> Paths,
    DateTimeOffset At)
{
    /// <summary>Tells this alert from others on the alerts topic.</summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Performance", "CA1822", Justification = "An instance member so that it is serialised with the alert.")]
    public string Kind => "sensitive-data";
}

/// <summary>Takes alerts without waiting: publishing them must never slow down or fail a request.</summary>
public interface IAlertSink
{
    void Raise(SensitiveDataAlert alert);
}
