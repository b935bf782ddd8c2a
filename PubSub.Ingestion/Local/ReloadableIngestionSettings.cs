using PubSub.Ingestion.Core;

namespace PubSub.Ingestion.Local;

/// <summary>Ingestion settings that follow the definition file: an operator's edit (a publisher's
/// policy, a schema) applies to the next request, without a restart.</summary>
internal sealed class ReloadableIngestionSettings : IIngestionSettingsSource
{
    private volatile IngestionSettings _current;

    public ReloadableIngestionSettings(SystemDefinitionMonitor definitions, FingerprintKey fingerprintKey)
    {
        _current = new IngestionSettings(definitions.Current, fingerprintKey);
        definitions.Changed += definition => _current = new IngestionSettings(definition, fingerprintKey);
    }

    public IngestionSettings Current => _current;
}
