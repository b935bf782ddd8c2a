namespace PubSub.Routing;

/// <summary>An event pattern that EventBridge would refuse, or that this version cannot evaluate yet.</summary>
public sealed class EventPatternException : Exception
{
    public EventPatternException()
    {
    }

    public EventPatternException(string message) : base(message)
    {
    }

    public EventPatternException(string message, Exception innerException) : base(message, innerException)
    {
    }
}
