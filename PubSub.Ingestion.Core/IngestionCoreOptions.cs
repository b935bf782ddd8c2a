using PubSub.Aws.DynamoDB;
using PubSub.Composition;

namespace PubSub.Ingestion.Core;

/// <summary>What the ingestion core is built from; each adapter fills it from where its settings live. The
/// DLQ is the ingestion DLQ; the topics looked up are the alerts topic.</summary>
public sealed record IngestionCoreOptions : FunctionCoreOptions
{
    /// <summary>The definition (the Events table, the ingestion DLQ's name, publishers, schemas) and the fingerprint key.</summary>
    public required IIngestionSettingsSource Settings { get; init; }

    public required IDynamoDbConditionalWriter DynamoDb { get; init; }
}
