using PubSub.Events;

namespace PubSub.Ingestion.Core.Storage;

/// <summary>Where accepted events are kept. Adding is idempotent per publisher and event id.</summary>
public interface IEventStore
{
    /// <summary>Stores the event unless one with its publisher and id exists; throws
    /// <see cref="EventStoreUnavailableException"/> when the store cannot be reached.</summary>
    Task<StoreResult> AddAsync(EventEnvelope envelope, CancellationToken cancellationToken);
}

/// <param name="Created">True when this call stored the event.</param>
/// <param name="ExistingFingerprint">When it existed already: the fingerprint it was stored with (null if unknown).</param>
public readonly record struct StoreResult(bool Created, string? ExistingFingerprint = null)
{
    public static StoreResult New => new(true);

    public static StoreResult Existing(string? fingerprint) => new(false, fingerprint);
}

public sealed class EventStoreUnavailableException : Exception
{
    public EventStoreUnavailableException()
    {
    }

    public EventStoreUnavailableException(string message) : base(message)
    {
    }

    public EventStoreUnavailableException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
