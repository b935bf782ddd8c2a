using System.Collections.Concurrent;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using PubSub.Definition;
using PubSub.Webhooks.Signing;

namespace PubSub.Webhooks.Worker;

/// <summary>Secrets in AWS: one SSM SecureString parameter per subscription (<see cref="WebhookNames.SecretParameter"/>),
/// cached for <see cref="CacheFor"/>. The value is one <c>whsec_</c> secret per line, the current one first; during a
/// rotation window the previous one follows it, and every line signs. A rotation writes <c>new\nold</c>, and later
/// <c>new</c> alone; workers see each change within the cache period.</summary>
public sealed class SsmWebhookSecretSource(IAmazonSimpleSystemsManagement ssm, SystemDefinition definition, TimeProvider? timeProvider = null)
    : IWebhookSecretSource
{
    public static readonly TimeSpan DefaultCacheFor = TimeSpan.FromMinutes(5);

    private readonly TimeProvider time = timeProvider ?? TimeProvider.System;
    private readonly ConcurrentDictionary<string, (WebhookSigningKeys Keys, DateTimeOffset Until)> cache = new(StringComparer.Ordinal);

    public TimeSpan CacheFor { get; init; } = DefaultCacheFor;

    public async ValueTask<WebhookSigningKeys> GetAsync(string subscriptionId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (cache.TryGetValue(subscriptionId, out var cached) && cached.Until > now)
        {
            return cached.Keys;
        }

        var name = WebhookNames.SecretParameter(definition, subscriptionId);
        GetParameterResponse response;
        try
        {
            response = await ssm.GetParameterAsync(new GetParameterRequest { Name = name, WithDecryption = true }, cancellationToken);
        }
        catch (ParameterNotFoundException)
        {
            throw new WebhookSecretMissingException(subscriptionId, $"SSM parameter {name}");
        }

        var secrets = ParseValue(response.Parameter?.Value ?? "");
        if (secrets.Count == 0)
        {
            throw new WebhookSecretMissingException(subscriptionId, $"SSM parameter {name} is empty");
        }

        var keys = new WebhookSigningKeys([.. secrets], []);
        cache[subscriptionId] = (keys, now + CacheFor);
        return keys;
    }

    /// <summary>Sets the subscription's secret (<paramref name="secret"/>, or a generated one), replacing any; returns it.
    /// The parameter is a SecureString (encrypted with the account's default SSM key).</summary>
    public async Task<WebhookSecret> AddAsync(string subscriptionId, WebhookSecret? secret, CancellationToken cancellationToken)
    {
        secret ??= WebhookSecret.Generate();
        await PutAsync(subscriptionId, [secret], cancellationToken);
        return secret;
    }

    /// <summary>A new current secret (<paramref name="next"/>, or a generated one), the previous current one on the line
    /// after it so both sign; returns the new secret. Only one previous secret is kept: a second rotation drops the
    /// oldest. Removing the previous one when the window ends is the operator's (<c>AddAsync</c> with the current one).</summary>
    public async Task<WebhookSecret> RotateAsync(string subscriptionId, WebhookSecret? next, CancellationToken cancellationToken)
    {
        next ??= WebhookSecret.Generate();
        var name = WebhookNames.SecretParameter(definition, subscriptionId);
        IReadOnlyList<WebhookSecret> current;
        try
        {
            var response = await ssm.GetParameterAsync(new GetParameterRequest { Name = name, WithDecryption = true }, cancellationToken);
            current = ParseValue(response.Parameter?.Value ?? "");
        }
        catch (ParameterNotFoundException)
        {
            current = [];
        }

        await PutAsync(subscriptionId, [next, .. current.Take(1)], cancellationToken);
        return next;
    }

    private async Task PutAsync(string subscriptionId, IEnumerable<WebhookSecret> secrets, CancellationToken cancellationToken)
    {
        await ssm.PutParameterAsync(new PutParameterRequest
        {
            Name = WebhookNames.SecretParameter(definition, subscriptionId),
            Value = FormatValue(secrets),
            Type = ParameterType.SecureString,
            Overwrite = true,
        }, cancellationToken);
        cache.TryRemove(subscriptionId, out _);
    }

    /// <summary>A parameter's value as secrets: one per line, blank lines ignored; a malformed line throws (naming the
    /// line, never quoting it).</summary>
    public static IReadOnlyList<WebhookSecret> ParseValue(string value) =>
        [.. value.Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0).Select(WebhookSecret.Parse)];

    /// <summary>The value to store for <paramref name="secrets"/> (current first).</summary>
    public static string FormatValue(IEnumerable<WebhookSecret> secrets) => string.Join('\n', secrets.Select(s => s.Reveal()));
}
