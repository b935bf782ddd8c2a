using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PubSub.Definition;
using PubSub.Webhooks.Signing;

namespace PubSub.Webhooks.Worker;

/// <summary>Local runs' secrets: one JSON file of secrets by subscription id, readable by its owner only (0600);
/// a secret is generated the first time a subscription's is asked for. A rotation keeps the previous secret for
/// <see cref="RotationWindow"/>, during which both sign.</summary>
/// <remarks>The file: <c>{"subscriptions":{"ID":{"secret":"whsec_...","previous":[{"secret":"whsec_...","until":"ISO 8601"}]}}}</c>.
/// Every change rewrites it whole (a temporary file, then a rename), under a lock for this process; the CLI and the
/// worker may both write it, and the last writer wins, which is enough for one developer's machine.</remarks>
public sealed class LocalWebhookSecretSource(string path, TimeProvider? timeProvider = null) : IWebhookSecretSource
{
    /// <summary>How long a rotated-out secret still signs, so that receivers can switch at leisure.</summary>
    public static readonly TimeSpan DefaultRotationWindow = TimeSpan.FromHours(24);

    private readonly TimeProvider time = timeProvider ?? TimeProvider.System;
    private readonly Lock gate = new();

    public TimeSpan RotationWindow { get; init; } = DefaultRotationWindow;

    public string Path { get; } = path;

    /// <summary><c>~/.pubsub/&lt;definition name&gt;/webhook-secrets.json</c>.</summary>
    public static string DefaultPath(SystemDefinition definition) => System.IO.Path.Combine(
        Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".pubsub", definition.Name, "webhook-secrets.json");

    public ValueTask<WebhookSigningKeys> GetAsync(string subscriptionId, CancellationToken cancellationToken)
    {
        lock (gate)
        {
            var secrets = Read(subscriptionId);
            if (secrets.Count == 0)
            {
                secrets = [Add(subscriptionId)];
            }

            return ValueTask.FromResult(new WebhookSigningKeys([.. secrets], []));
        }
    }

    /// <summary>Sets the subscription's secret (<paramref name="secret"/>, or a generated one), replacing any; returns it.</summary>
    public WebhookSecret Add(string subscriptionId, WebhookSecret? secret = null)
    {
        secret ??= WebhookSecret.Generate();
        lock (gate)
        {
            var file = Load();
            file[subscriptionId] = new JsonObject { ["secret"] = secret.Reveal(), ["previous"] = new JsonArray() };
            Save(file);
        }

        return secret;
    }

    /// <summary>A new current secret (<paramref name="next"/>, or a generated one); the old one signs too until the
    /// rotation window ends. Returns the new secret.</summary>
    public WebhookSecret Rotate(string subscriptionId, WebhookSecret? next = null)
    {
        next ??= WebhookSecret.Generate();
        lock (gate)
        {
            var file = Load();
            var now = time.GetUtcNow();
            var previous = new JsonArray();
            if (file[subscriptionId] is JsonObject entry)
            {
                if (entry["secret"]?.GetValue<string>() is { } current)
                {
                    previous.Add((JsonNode)new JsonObject { ["secret"] = current, ["until"] = (now + RotationWindow).ToString("O", CultureInfo.InvariantCulture) });
                }

                foreach (var (old, until) in Previous(entry, now))
                {
                    previous.Add((JsonNode)new JsonObject { ["secret"] = old, ["until"] = until.ToString("O", CultureInfo.InvariantCulture) });
                }
            }

            file[subscriptionId] = new JsonObject { ["secret"] = next.Reveal(), ["previous"] = previous };
            Save(file);
        }

        return next;
    }

    /// <summary>The secrets that sign now (current first, then those still in their rotation window), without
    /// generating one; empty when there is none.</summary>
    public IReadOnlyList<WebhookSecret> Read(string subscriptionId)
    {
        lock (gate)
        {
            if (Load()[subscriptionId] is not JsonObject entry || entry["secret"]?.GetValue<string>() is not { } current)
            {
                return [];
            }

            return [WebhookSecret.Parse(current), .. Previous(entry, time.GetUtcNow()).Select(p => WebhookSecret.Parse(p.Secret))];
        }
    }

    private static IEnumerable<(string Secret, DateTimeOffset Until)> Previous(JsonObject entry, DateTimeOffset now) =>
        (entry["previous"] as JsonArray ?? [])
        .OfType<JsonObject>()
        .Select(p => (Secret: p["secret"]?.GetValue<string>(), Until: p["until"]?.GetValue<string>()))
        .Where(p => p.Secret is not null && p.Until is not null)
        .Select(p => (p.Secret!, DateTimeOffset.Parse(p.Until!, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind)))
        .Where(p => p.Item2 > now);

    private JsonObject Load()
    {
        if (!File.Exists(Path))
        {
            return [];
        }

        try
        {
            return JsonNode.Parse(File.ReadAllText(Path))?["subscriptions"] is JsonObject subscriptions
                ? (JsonObject)subscriptions.DeepClone()
                : [];
        }
        catch (JsonException e)
        {
            // Never overwrite a file we cannot read: its secrets may be the only copy.
            throw new InvalidDataException($"The webhook secrets file '{Path}' is not valid JSON; fix or remove it.", e);
        }
    }

    private void Save(JsonObject subscriptions)
    {
        var directory = System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(Path))!;
        Directory.CreateDirectory(directory);
        var temporary = Path + ".tmp";
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite; // 0600: the secrets are the owner's only
        }

        using (var stream = new FileStream(temporary, options))
        using (var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            new JsonObject { ["subscriptions"] = subscriptions }.WriteTo(writer);
        }

        File.Move(temporary, Path, overwrite: true);
    }
}
