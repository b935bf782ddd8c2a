using PubSub.Definition;
using PubSub.Ingestion.Core;

namespace PubSub.Ingestion.Authentication;

/// <summary>The local host's stand-in for API Gateway: who a key belongs to (only key hashes are
/// held, compared in constant time), whether that publisher is enabled, and whether the request fits
/// its usage plan. Rebuilt, without losing usage counts, whenever the definition is reloaded.</summary>
public sealed partial class PublisherAccess
{
    private readonly IConfiguration _configuration;
    private readonly UsageLimiter _limiter;
    private readonly ILogger<PublisherAccess> _logger;
    private volatile Snapshot _snapshot;

    public PublisherAccess(SystemDefinitionMonitor definitions, IConfiguration configuration, UsageLimiter limiter,
        ILogger<PublisherAccess> logger)
    {
        _configuration = configuration;
        _limiter = limiter;
        _logger = logger;
        _snapshot = Build(definitions.Current);
        definitions.Changed += definition => _snapshot = Build(definition);
    }

    /// <summary>The configuration section holding each publisher's API key: <c>Publishers:{name}:ApiKey</c>.</summary>
    public const string KeysSection = "Publishers";

    /// <summary>The publisher the request may publish as, or the problem to answer with.</summary>
    public (string? Publisher, Problem? Problem) Check(string? apiKey)
    {
        if (string.IsNullOrEmpty(apiKey))
        {
            return (null, Problems.MissingApiKey());
        }

        var snapshot = _snapshot;
        if (snapshot.Keys.Authenticate(apiKey) is not { } name || !snapshot.Publishers.TryGetValue(name, out var publisher))
        {
            return (null, Problems.InvalidApiKey());
        }

        if (!publisher.Enabled)
        {
            return (null, Problems.PublisherDisabled());
        }

        if (publisher.Plan is not { } plan)
        {
            return (name, null);
        }

        var usage = _limiter.TryConsume(name, plan);
        return usage switch
        {
            { IsAllowed: true } => (name, null),
            { Quota: { } quota } => (null, Problems.QuotaExceeded(quota.Limit, quota.Period.ToString().ToLowerInvariant(), usage.ResetsAt, usage.RetryAfterSeconds)),
            _ => (null, Problems.RateLimited(usage.RetryAfterSeconds, plan.RateLimit, plan.BurstLimit)),
        };
    }

    private Snapshot Build(SystemDefinition definition)
    {
        var keys = new List<KeyValuePair<string, string>>();
        foreach (var publisher in definition.Publishers)
        {
            if (_configuration[$"{KeysSection}:{publisher.Name}:ApiKey"] is { Length: > 0 } key)
            {
                keys.Add(new(publisher.Name, key));
            }
            else
            {
                LogNoKey(publisher.Name, KeysSection);
            }
        }

        var disabled = definition.Publishers.Count(p => !p.Enabled);
        LogLoaded(definition.Publishers.Count, keys.Count, disabled);
        return new Snapshot(new PublisherKeys(keys), definition.Publishers.ToDictionary(p => p.Name, StringComparer.Ordinal));
    }

    private sealed record Snapshot(PublisherKeys Keys, Dictionary<string, PublisherDefinition> Publishers);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Publisher {Publisher} has no API key configured ({Section}:{Publisher}:ApiKey); it cannot publish")]
    private partial void LogNoKey(string publisher, string section);

    [LoggerMessage(Level = LogLevel.Information,
        Message = "Publishers loaded: {Publishers} declared, {Keys} with a key, {Disabled} disabled")]
    private partial void LogLoaded(int publishers, int keys, int disabled);
}
