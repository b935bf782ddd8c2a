using PubSub.Events;

namespace PubSub.Ingestion.Core;

/// <summary>Where accepted events are kept. Adding is idempotent per publisher and event id.</summary>
public interface IEventStore
{
    /// <summary>Stores the event unless one with its publisher and id exists; throws
    /// <see cref="EventStoreUnavailableException"/> when the store cannot be reached.</summary>
    Task<StoreOutcome> AddAsync(EventEnvelope envelope, CancellationToken cancellationToken);
}

public enum StoreOutcome
{
    Created,
    AlreadyExists,
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
