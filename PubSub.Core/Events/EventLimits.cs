namespace PubSub.Events;

public static class EventLimits
{
    public const int MaxArrayElements = 4096;
}
