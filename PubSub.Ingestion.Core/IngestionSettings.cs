using PubSub.Definition;
using PubSub.Ingestion.Core.Validation;

namespace PubSub.Ingestion.Core;

/// <summary>What the ingestion core takes from the system definition: publishers' policies and the
/// compiled schemas; and the fingerprint key from configuration. A new snapshot replaces the old when the definition is reloaded.</summary>
public sealed class IngestionSettings
{
    private readonly Dictionary<string, PublisherDefinition> _publishers;

    public IngestionSettings(SystemDefinition definition, FingerprintKey fingerprintKey)
    {
        Definition = definition;
        FingerprintKey = fingerprintKey;
        _publishers = definition.Publishers.ToDictionary(p => p.Name, StringComparer.Ordinal);
        Schemas = new EventSchemas(definition.Schemas);
    }

    public SystemDefinition Definition { get; }

    public EventSchemas Schemas { get; }

    /// <summary>Keys the stored fingerprints (configuration, not the definition: it is a secret).</summary>
    public FingerprintKey FingerprintKey { get; }

    public SensitiveDataPolicy PolicyFor(string publisher) =>
        _publishers.TryGetValue(publisher, out var p) && p.SensitiveData is { } policy ? policy : Definition.SensitiveData.DefaultPolicy;

    public PublisherDefinition? Publisher(string name) => _publishers.GetValueOrDefault(name);
}

/// <summary>The current settings; local hosts reload them when the definition file changes.</summary>
public interface IIngestionSettingsSource
{
    IngestionSettings Current { get; }
}

public sealed class FixedIngestionSettings(IngestionSettings settings) : IIngestionSettingsSource
{
    public IngestionSettings Current { get; } = settings;
}
