namespace PubSub.Ingestion.Core.Parsing;

/// <summary>What one request may hold. Events and batches match API Gateway's and SNS's own limits.</summary>
public static class EventLimits
{
    public const int MaxEventBytes = 256 * 1024;
    public const int MaxBatchBytes = 1024 * 1024;
    public const int MaxBatchEvents = 100;
    public const int MaxDepth = 64;
    public const int MaxIdLength = 256;

    /// <summary>Context attributes (source, type, subject, dataschema) and extension values.</summary>
    public const int MaxAttributeLength = 1024;

    /// <summary>Any single string in the data, and any member name.</summary>
    public const int MaxStringLength = 64 * 1024;

    /// <summary>Array elements in all arrays of one event together (bounds routing work).</summary>
    public const int MaxArrayElements = PubSub.Events.EventLimits.MaxArrayElements;
}
