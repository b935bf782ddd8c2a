using System.Collections.Concurrent;
using System.Globalization;
using Amazon.SimpleSystemsManagement;
using Amazon.SimpleSystemsManagement.Model;
using PubSub.Definition;
using PubSub.Webhooks.Signing;

namespace PubSub.Webhooks.Worker;

/// <summary>Secrets in AWS: one SSM SecureString parameter per subscription (<see cref="WebhookNames.SecretParameter"/>),
/// cached for <see cref="CacheFor"/>. The value is one <c>whsec_</c> secret per line, the current one first; a previous
/// one follows it with the end of its rotation window (<c>whsec_... until=2026-12-02T10:00:00.0000000+00:00</c>), and
/// every line whose window has not ended signs. A rotation writes <c>new\nold until=(now + 24 h)</c> (as the local
/// source keeps the old one), and drops the lines whose window ended; workers see each change within the cache period,
/// and stop signing with a line once its window ends, whether or not a later rotation removed it. A line without
/// <c>until</c> (written by hand) signs until it is removed.</summary>
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

        var entries = ParseEntries(response.Parameter?.Value ?? "").Where(e => e.Until is null || e.Until > now).ToList();
        if (entries.Count == 0)
        {
            throw new WebhookSecretMissingException(subscriptionId, $"SSM parameter {name} is empty");
        }

        var keys = new WebhookSigningKeys([.. entries.Select(e => e.Secret)], []);
        // Not past the first window's end: an ended secret stops signing then, not up to a cache period later.
        var until = entries.Select(e => e.Until ?? DateTimeOffset.MaxValue).Append(now + CacheFor).Min();
        cache[subscriptionId] = (keys, until);
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

    /// <summary>How long a rotated-out secret still signs: as long as locally (<see cref="LocalWebhookSecretSource.DefaultRotationWindow"/>).</summary>
    public TimeSpan RotationWindow { get; init; } = LocalWebhookSecretSource.DefaultRotationWindow;

    /// <summary>A new current secret (<paramref name="next"/>, or a generated one); the previous current one follows it
    /// until the rotation window ends, and so do earlier ones still in theirs; lines whose window ended are dropped.
    /// Returns the new secret.</summary>
    public async Task<WebhookSecret> RotateAsync(string subscriptionId, WebhookSecret? next, CancellationToken cancellationToken)
    {
        next ??= WebhookSecret.Generate();
        var name = WebhookNames.SecretParameter(definition, subscriptionId);
        IReadOnlyList<(WebhookSecret Secret, DateTimeOffset? Until)> stored;
        try
        {
            var response = await ssm.GetParameterAsync(new GetParameterRequest { Name = name, WithDecryption = true }, cancellationToken);
            stored = ParseEntries(response.Parameter?.Value ?? "");
        }
        catch (ParameterNotFoundException)
        {
            stored = [];
        }

        var now = time.GetUtcNow();
        var windowEnd = now + RotationWindow;
        // The current one (and any line written by hand without an end) gets the window; older ones keep their own end.
        var previous = stored.Select(e => (e.Secret, Until: e.Until ?? windowEnd)).Where(e => e.Until > now).Select(e => (e.Secret, (DateTimeOffset?)e.Until));
        await PutAsync(subscriptionId, [(next, null), .. previous], cancellationToken);
        return next;
    }

    private Task PutAsync(string subscriptionId, IEnumerable<WebhookSecret> secrets, CancellationToken cancellationToken) =>
        PutAsync(subscriptionId, secrets.Select(s => (s, (DateTimeOffset?)null)), cancellationToken);

    private async Task PutAsync(string subscriptionId, IEnumerable<(WebhookSecret Secret, DateTimeOffset? Until)> entries,
        CancellationToken cancellationToken)
    {
        await ssm.PutParameterAsync(new PutParameterRequest
        {
            Name = WebhookNames.SecretParameter(definition, subscriptionId),
            Value = FormatEntries(entries),
            Type = ParameterType.SecureString,
            Overwrite = true,
        }, cancellationToken);
        cache.TryRemove(subscriptionId, out _);
    }

    private const string UntilPrefix = "until=";

    /// <summary>A parameter's value as secrets (whatever their window): one per line, blank lines ignored; a malformed
    /// line throws (naming the line, never quoting it).</summary>
    public static IReadOnlyList<WebhookSecret> ParseValue(string value) => [.. ParseEntries(value).Select(e => e.Secret)];

    /// <summary>A parameter's value as secrets and the ends of their windows (null: none).</summary>
    public static IReadOnlyList<(WebhookSecret Secret, DateTimeOffset? Until)> ParseEntries(string value) =>
    [
        .. value.Split('\n').Select(line => line.Trim()).Where(line => line.Length > 0).Select((line, index) =>
        {
            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            DateTimeOffset? until = null;
            if (parts.Length == 2 && parts[1].StartsWith(UntilPrefix, StringComparison.Ordinal) && DateTimeOffset.TryParse(parts[1][UntilPrefix.Length..],
                    CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var end))
            {
                until = end;
            }
            else if (parts.Length != 1)
            {
                throw new FormatException($"Line {index + 1} of the secrets parameter is not 'whsec_... [until=ISO 8601]'.");
            }

            return (WebhookSecret.Parse(parts[0]), until);
        }),
    ];

    /// <summary>The value to store for <paramref name="secrets"/> (current first), none of them ending.</summary>
    public static string FormatValue(IEnumerable<WebhookSecret> secrets) => FormatEntries(secrets.Select(s => (s, (DateTimeOffset?)null)));

    /// <summary>The value to store for secrets and the ends of their windows (current first).</summary>
    public static string FormatEntries(IEnumerable<(WebhookSecret Secret, DateTimeOffset? Until)> entries) => string.Join('\n', entries.Select(e =>
        e.Until is { } until ? $"{e.Secret.Reveal()} {UntilPrefix}{until.UtcDateTime.ToString("O", CultureInfo.InvariantCulture)}" : e.Secret.Reveal()));
}
